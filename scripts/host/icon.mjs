// Renders media/icon.png (128x128, transparent background) from the SVG below with Debian Chromium.
// Usage: node scripts/host/icon.mjs [out.png]
import { chromium } from 'playwright-core';

const out = process.argv[2] || 'media/icon.png';
// A shield with a crenellated wall (a rampart) across it.
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <defs>
    <linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#2f6fe4"/><stop offset="1" stop-color="#1a3c8f"/>
    </linearGradient>
  </defs>
  <path d="M64 6 L114 22 V60 C114 92 92 112 64 122 C36 112 14 92 14 60 V22 Z" fill="url(#g)" stroke="#0f2557" stroke-width="4" stroke-linejoin="round"/>
  <path d="M30 58 H40 V48 H50 V58 H59 V48 H69 V58 H78 V48 H88 V58 H98 V92 H30 Z" fill="#ffffff"/>
  <path d="M56 92 V78 A8 8 0 0 1 72 78 V92 Z" fill="#1a3c8f"/>
  <rect x="30" y="68" width="68" height="3" fill="#cfdcf7"/>
</svg>`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
await page.locator('svg').screenshot({ path: out, omitBackground: true });
await browser.close();
console.log(`wrote ${out}`);
