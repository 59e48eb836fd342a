// The app runs under a Content-Security-Policy without 'unsafe-eval' (src/server/plugins/headers.ts).
// zod 4 probes `new Function` whenever an object schema is built, unless told not to compile
// parsers; under the policy the probe fails (zod then parses without it) but each probe is a
// reported violation. This classic script runs before the app's modules, so zod finds its
// configuration set when it first loads. Not bundled on purpose: it must run first.
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
