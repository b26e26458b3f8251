/** A self-contained API docs page rendered from /openapi.json in the browser (no CDN: works offline). */
export function docsPage(): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>环境信访案件 API</title>
<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em}code{background:#f3f3f3;padding:0 .3em}
details{border:1px solid #ddd;border-radius:6px;margin:.5em 0;padding:.5em}summary{cursor:pointer}pre{white-space:pre-wrap;font-size:12px}</style></head>
<body><h1>环境信访案件 API</h1><p>OpenAPI 3.1: <a href="/openapi.json">/openapi.json</a>. Authorization: <code>Bearer &lt;token&gt;</code>.</p><div id="routes"></div>
<script>
fetch('/openapi.json').then(r=>r.json()).then(doc=>{const el=document.getElementById('routes');
for(const [path,ops] of Object.entries(doc.paths))for(const [method,op] of Object.entries(ops)){
const d=document.createElement('details');const s=document.createElement('summary');s.textContent=method.toUpperCase()+' '+path+' — '+op.summary;
const p=document.createElement('pre');p.textContent=op.description+'\\n'+JSON.stringify({parameters:op.parameters,requestBody:op.requestBody},null,2);
d.append(s,p);el.append(d);}});
</script></body></html>`;
}
