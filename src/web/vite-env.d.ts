/** Module shapes Vite provides that TypeScript does not know: asset URLs. */
declare module '*?url' {
  const url: string;
  export default url;
}
declare module '*.css';
