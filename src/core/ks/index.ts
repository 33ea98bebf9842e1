// The KS toolkit: codec (v1/v2), privilege grammar and the storage-free validation steps.
export * from './codec.js';
export * from './privileges.js';
export * from './validate.js';
export * from './app-token-hash.js';
