/* global module */
/**
 * Puppeteer (pulled in by whatsapp-web.js) must not download Chrome during `npm ci`: it fails
 * on machines without network access to Google's CDN. WhatsApp Web mode uses a system Chromium
 * (`apt-get install chromium`) instead.
 * @type {import('puppeteer').Configuration}
 */
module.exports = { skipDownload: true };
