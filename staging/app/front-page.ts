// A small HTML front page for browser checks (page load, LCP). Its script and style are files of
// their own, so the edge's Content-Security-Policy needs no 'unsafe-inline' (headers grade A).
export const FRONT_PAGE = (name: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${name}</title>
<link rel="stylesheet" href="/static/front.css"></head>
<body><h1>${name}</h1><p>Products, orders and logins for golive's demo and staging targets.</p>
<ul id="products"></ul>
<script src="/static/front.js" defer></script>
</body></html>
`

export const FRONT_ASSETS: Record<string, { type: string; body: string }> = {
  '/static/front.css': {
    type: 'text/css; charset=utf-8',
    body: 'body{font-family:system-ui,sans-serif;margin:2rem;max-width:50rem}h1{color:#1a4d8f}li{margin:.2rem 0}\n',
  },
  '/static/front.js': {
    type: 'text/javascript; charset=utf-8',
    body: "fetch('/api/products?limit=10').then(r=>r.json()).then(d=>{const ul=document.getElementById('products');" +
      "for(const p of d.items){const li=document.createElement('li');li.textContent=p.name+' \\u2014 '+p.price;ul.appendChild(li)}})\n",
  },
}
