export * from './assembler';
export * from './frames';
export * from './one-euro';
export * from './ring-buffer';
export * from './tracker';
export * from './window-config';
