export * from './assembler';
export * from './one-euro';
export * from './ring-buffer';
export * from './tracker';
