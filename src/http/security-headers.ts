/**
 * Security headers on every answer (no helmet needed). The HTML landing page sets its own,
 * tighter Content-Security-Policy; other pages (the web chat) set theirs.
 */
import type { RequestHandler } from 'express';

export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export const securityHeaders: RequestHandler = (req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  if (req.path.startsWith('/api/')) res.setHeader('Content-Security-Policy', API_CSP);
  next();
};
