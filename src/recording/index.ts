export * from './format';
export * from './ntu';
