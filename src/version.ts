declare const __LANES_VERSION__: string;

/** The package version, baked into the bundle at build time. */
export const VERSION = typeof __LANES_VERSION__ === 'string' ? __LANES_VERSION__ : '0.0.0-dev';
