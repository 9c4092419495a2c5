// Set at build time from package.json; 'dev' when running from source.
declare const __GOLIVE_VERSION__: string | undefined
export const VERSION: string = typeof __GOLIVE_VERSION__ === 'string' ? __GOLIVE_VERSION__ : 'dev'
