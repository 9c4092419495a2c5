import { createServer } from 'node:http'
const LCP_DELAY_MS = 1500
const BLOCK_MS = 300
// the box (1280 × 360 at the top of a 1280 × 720 viewport) moves down 180 px: the union of its
// old and new place covers 540/720 of the viewport, and it moved 180/1280 of the viewport's
// larger side: 0.75 × 0.140625
const CLS = 0.75 * (180 / 1280)

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>truth</title>
<style>body{margin:0;overflow:hidden} #box{position:absolute;top:0;left:0;width:1280px;height:360px;background:#cde}
img{position:absolute;top:560px;left:0} #buy{position:absolute;top:560px;left:700px} #done{position:absolute;top:600px;left:700px;margin:0}</style></head>
<body><div id="box"></div><img src="/hero.svg" width="600" height="150" alt="hero"><button id="buy">Buy</button><p id="done"></p>
<script>
setTimeout(() => { document.getElementById('box').style.top = '180px'; requestAnimationFrame(() => setTimeout(() => { window.shifted = true }, 100)) }, 300)
document.getElementById('buy').addEventListener('click', () => {
  const t = performance.now(); while (performance.now() - t < ${BLOCK_MS}) {}
  document.getElementById('done').textContent = 'bought'
})
</script></body></html>`
// 240 tiles of different colours: Chrome leaves low-entropy images (a flat colour) out of LCP
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="150">' + Array.from({ length: 240 }, (_, i) =>
  `<rect x="${(i % 24) * 25}" y="${Math.floor(i / 24) * 15}" width="25" height="15" fill="#${(((i * 2654435761) >>> 8) & 0xffffff).toString(16).padStart(6, '0')}"/>`).join('') + '</svg>'


createServer((req, res) => {
  if (req.url === '/hero.svg') { setTimeout(() => { res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'no-store' }); res.end(SVG) }, LCP_DELAY_MS); return }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }); res.end(PAGE)
}).listen(8973, '127.0.0.1')
