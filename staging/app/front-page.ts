// A small HTML front page for browser checks (page load, LCP). Its script and style are files of
// their own, so the edge's Content-Security-Policy needs no 'unsafe-inline' (headers grade A).
// Their names carry a hash of their content (/static/front.<10 hex>.css), as a bundler names
// them, so the app serves them for a year and immutable (the page-load asset audit's rule).

import { createHash } from 'node:crypto'

const CSS = 'body{font-family:system-ui,sans-serif;margin:2rem;max-width:50rem}h1{color:#1a4d8f}li{margin:.2rem 0}\n'
const JS =
  "fetch('/api/products?limit=10').then(r=>r.json()).then(d=>{const ul=document.getElementById('products');" +
  "for(const p of d.items){const li=document.createElement('li');li.textContent=p.name+' \\u2014 '+p.price;ul.appendChild(li)}})\n"
const hashed = (base: string, ext: string, body: string) => `/static/${base}.${createHash('sha256').update(body).digest('hex').slice(0, 10)}.${ext}`
const CSS_PATH = hashed('front', 'css', CSS)
const JS_PATH = hashed('front', 'js', JS)

/** Cache-Control of the hashed static files: the name changes when the content does. */
export const STATIC_CACHE_CONTROL = 'public, max-age=31536000, immutable'

export const FRONT_PAGE = (name: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${name}</title>
<link rel="stylesheet" href="${CSS_PATH}"></head>
<body><h1>${name}</h1><p>Products, orders and logins for golive's demo and staging targets.</p>
<ul id="products"></ul>
<script src="${JS_PATH}" defer></script>
</body></html>
`

export const FRONT_ASSETS: Record<string, { type: string; body: string }> = {
  [CSS_PATH]: { type: 'text/css; charset=utf-8', body: CSS },
  [JS_PATH]: { type: 'text/javascript; charset=utf-8', body: JS },
}
