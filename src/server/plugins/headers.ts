/**
 * Security headers on every answer (@fastify/helmet): a strict Content-Security-Policy — scripts,
 * styles, fonts, workers and fetches only from this origin, never inline script or eval; images
 * also as data: and blob: URLs (QR codes, the wristband sheet) and from the map's tile server when
 * one is configured; no framing, no plugins, no <base> — and HSTS only on answers that went over
 * TLS (the request is HTTPS, or a trusted proxy says it was), since a plain-HTTP field laptop on a
 * LAN must not tell browsers to refuse it later. `upgrade-insecure-requests` is left out for the
 * same reason.
 */
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** One year, as the HSTS preload list asks; subdomains too. */
export const HSTS = 'max-age=31536000; includeSubDomains';

/** The origin of a tile URL template (`https://tile.example.org/{z}/{x}/{y}.png`), if it has one. */
function originOf(template: string | undefined): string | undefined {
  if (!template) return undefined;
  try {
    const u = new URL(template.replace(/\{[a-z]\}/g, '0'));
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

export function contentSecurityPolicy(opts: { tileUrl?: string | undefined } = {}) {
  const tiles = originOf(opts.tileUrl);
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:', 'blob:', ...(tiles ? [tiles] : [])],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    workerSrc: ["'self'"],
    manifestSrc: ["'self'"],
    mediaSrc: ["'self'", 'blob:'],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    upgradeInsecureRequests: null,
  };
}

export async function registerSecurityHeaders(app: FastifyInstance, opts: { tileUrl?: string | undefined } = {}) {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(opts) },
    hsts: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.addHook('onSend', async (req, reply) => {
    if (req.protocol === 'https') reply.header('strict-transport-security', HSTS);
  });
}

/** The API documentation's pages (Swagger UI writes <style> elements): inline styles allowed there, never inline script. */
export function allowInlineStyles(header: string): string {
  return header.replace(/style-src 'self'/, "style-src 'self' 'unsafe-inline'");
}
