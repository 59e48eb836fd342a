/// <reference types="vite-plugin-pwa/vanillajs" />
/** Module shapes Vite provides that TypeScript does not know: asset URLs; `virtual:pwa-register` (above). */
declare module '*?url' {
  const url: string;
  export default url;
}
declare module '*.css';
