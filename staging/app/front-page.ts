// A small HTML front page for browser checks (page load, LCP).
export const FRONT_PAGE = (name: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${name}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:50rem}h1{color:#1a4d8f}li{margin:.2rem 0}</style></head>
<body><h1>${name}</h1><p>Products, orders and logins for golive's demo and staging targets.</p>
<ul id="products"></ul>
<script>fetch('/api/products?limit=10').then(r=>r.json()).then(d=>{const ul=document.getElementById('products');for(const p of d.items){const li=document.createElement('li');li.textContent=p.name+' — '+p.price;ul.appendChild(li)}})</script>
</body></html>
`
