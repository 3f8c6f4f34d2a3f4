export * from './exhaust-latest';
export * from './pipeline';
export * from './stats';
