export * from './types';
export * from './layout';
export * from './canonical';
export * from './normalise';
