// A corpus of XSS vectors for the hostile-input test: classic and mutation XSS from the OWASP
// filter-evasion cheat sheet, PortSwigger's XSS cheat sheet and DOMPurify's bypass history, plus
// htmx-specific ones (the console loads htmx). Each vector, if it ever ran, would call the global
// __xss(id) — or request a URL with "xss-beacon/<id>" in it — so the test can tell which one got
// through. `id` is unique per vector and place.
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const call = (id: number) => `__xss(${id})`;

export type XssVector = { name: string; make: (id: number) => string };

export const XSS_VECTORS: XssVector[] = [
  // script tags
  { name: 'script', make: (id) => `<script>${call(id)}</script>` },
  { name: 'script-uppercase-src-data', make: (id) => `<SCRIPT SRC=data:text/javascript,${call(id)}></SCRIPT>` },
  { name: 'script-nested-strip', make: (id) => `<scr<script>ipt>${call(id)}</scr</script>ipt>` },
  { name: 'script-type', make: (id) => `<script type="text/javascript">${call(id)};</script>` },
  { name: 'attr-breakout-double', make: (id) => `"><script>${call(id)}</script>` },
  { name: 'attr-breakout-single', make: (id) => `'><script>${call(id)}</script>` },
  { name: 'title-breakout', make: (id) => `</title><script>${call(id)}</script>` },
  { name: 'textarea-breakout', make: (id) => `</textarea><script>${call(id)}</script>` },
  { name: 'style-breakout', make: (id) => `</style><script>${call(id)}</script>` },
  { name: 'pre-breakout', make: (id) => `</pre><script>${call(id)}</script><pre>` },
  { name: 'comment-breakout', make: (id) => `<!--<script>--><script>${call(id)}</script>` },
  { name: 'script-src-self-path', make: (id) => `<script src="/xss-beacon/${id}.js"></script>` },
  // event handlers
  { name: 'img-onerror', make: (id) => `<img src=x onerror=${call(id)}>` },
  { name: 'img-onerror-quoted', make: (id) => `<img src="x" onerror="${call(id)}">` },
  { name: 'img-onmouseover', make: (id) => `<IMG SRC=# onmouseover="${call(id)}">` },
  { name: 'svg-onload', make: (id) => `<svg onload=${call(id)}>` },
  { name: 'svg-slash-onload', make: (id) => `<svg/onload=${call(id)}>` },
  { name: 'body-onload', make: (id) => `<body onload=${call(id)}>` },
  { name: 'input-autofocus', make: (id) => `<input autofocus onfocus=${call(id)}>` },
  { name: 'details-ontoggle', make: (id) => `<details open ontoggle=${call(id)}>x</details>` },
  { name: 'video-source-onerror', make: (id) => `<video><source onerror=${call(id)}></video>` },
  { name: 'audio-onerror', make: (id) => `<audio src=x onerror=${call(id)}>` },
  { name: 'iframe-onload', make: (id) => `<iframe onload=${call(id)}></iframe>` },
  { name: 'marquee-onstart', make: (id) => `<marquee onstart=${call(id)}>x</marquee>` },
  { name: 'div-fullscreen-onpointerover', make: (id) => `<div onpointerover=${call(id)} style="position:fixed;inset:0">x</div>` },
  { name: 'a-onmouseover', make: (id) => `<a onmouseover=${call(id)}>hover</a>` },
  { name: 'onerror-entity-encoded', make: (id) => `<img src=x onerror=&#95;&#95;xss&#40;${id}&#41;>` },
  { name: 'onerror-js-unicode', make: (id) => `<img src=x onerror=\\u005f\\u005fxss(${id})>` },
  { name: 'onerror-eval-atob', make: (id) => `<img src=x onerror=eval(atob('${b64(call(id))}'))>` },
  { name: 'img-quote-confusion', make: (id) => `<img """><script>${call(id)}</script>">` },
  { name: 'slash-separated-attrs', make: (id) => `<img/src="x"/onerror=${call(id)}>` },
  // javascript:, vbscript: and data: URLs
  { name: 'href-javascript', make: (id) => `<a href="javascript:${call(id)}">click</a>` },
  { name: 'href-javascript-mixed-case', make: (id) => `<a href="JaVaScRiPt:${call(id)}">click</a>` },
  { name: 'href-javascript-tab-entity', make: (id) => `<a href="jav&#x09;ascript:${call(id)}">click</a>` },
  { name: 'href-javascript-decimal-entities', make: (id) => `<a href="${[...'javascript:'].map((c) => `&#${c.charCodeAt(0)};`).join('')}${call(id)}">click</a>` },
  { name: 'href-javascript-leading-space', make: (id) => `<a href=" javascript:${call(id)}">click</a>` },
  { name: 'href-javascript-control-char', make: (id) => `<a href="&#1;javascript:${call(id)}">click</a>` },
  { name: 'href-vbscript', make: (id) => `<a href="vbscript:${call(id)}">click</a>` },
  { name: 'href-data-html', make: (id) => `<a href="data:text/html;base64,${b64(`<script>opener.${call(id)}</script>`)}">click</a>` },
  { name: 'iframe-javascript', make: (id) => `<iframe src="javascript:parent.${call(id)}"></iframe>` },
  { name: 'iframe-srcdoc', make: (id) => `<iframe srcdoc="<script>parent.${call(id)}</script>"></iframe>` },
  { name: 'object-data-html', make: (id) => `<object data="data:text/html,<script>parent.${call(id)}</script>"></object>` },
  { name: 'embed-javascript', make: (id) => `<embed src="javascript:${call(id)}">` },
  { name: 'form-action-javascript', make: (id) => `<form action="javascript:${call(id)}"><button>go</button></form>` },
  { name: 'button-formaction', make: (id) => `<form><button formaction="javascript:${call(id)}">go</button></form>` },
  { name: 'img-src-javascript', make: (id) => `<img src="javascript:${call(id)}">` },
  { name: 'img-relative-beacon', make: (id) => `<img src="/xss-beacon/${id}">` },
  { name: 'img-protocol-relative', make: (id) => `<img src="//127.0.0.1/xss-beacon/${id}">` },
  { name: 'meta-refresh', make: (id) => `<meta http-equiv="refresh" content="0;url=javascript:${call(id)}">` },
  { name: 'base-href', make: (id) => `<base href="javascript:${call(id)}//">` },
  { name: 'img-data-svg', make: (id) => `<img src="data:image/svg+xml;base64,${b64(`<svg xmlns="http://www.w3.org/2000/svg" onload="${call(id)}"/>`)}">` },
  // SVG and MathML
  { name: 'svg-script', make: (id) => `<svg><script>${call(id)}</script></svg>` },
  { name: 'svg-xlink-href', make: (id) => `<svg><a xlink:href="javascript:${call(id)}"><text x="20" y="20">XSS</text></a></svg>` },
  { name: 'svg-animate-onbegin', make: (id) => `<svg><animate onbegin=${call(id)} attributeName=x dur=1s>` },
  { name: 'svg-set-handler', make: (id) => `<svg><set attributeName=onmouseover to=${call(id)}>` },
  { name: 'svg-style-img', make: (id) => `<svg><style><img src=x onerror=${call(id)}></style></svg>` },
  { name: 'mathml-mglyph-style', make: (id) => `<math><mtext><table><mglyph><style><img src=x onerror=${call(id)}>` },
  { name: 'svg-foreignobject', make: (id) => `<svg><foreignObject><iframe srcdoc="<script>parent.${call(id)}</script>"></iframe></foreignObject></svg>` },
  // CSS
  { name: 'style-attr-url-javascript', make: (id) => `<div style="background:url(javascript:${call(id)})">x</div>` },
  { name: 'style-attr-expression', make: (id) => `<div style="width:expression(${call(id)})">x</div>` },
  { name: 'style-import', make: (id) => `<style>@import 'javascript:${call(id)}';</style>` },
  { name: 'style-beacon', make: (id) => `<style>body{background:url("/xss-beacon/${id}")}</style>` },
  { name: 'link-stylesheet', make: (id) => `<link rel=stylesheet href="/xss-beacon/${id}.css">` },
  // broken markup and mutation XSS
  { name: 'unclosed-tag', make: (id) => `<img src=x onerror=${call(id)}//` },
  { name: 'double-open', make: (id) => `<<script>${call(id)};//<</script>` },
  { name: 'noscript-mxss', make: (id) => `<noscript><p title="</noscript><img src=x onerror=${call(id)}>">` },
  { name: 'attr-holds-tag', make: (id) => `<p id="</p><img src=x onerror=${call(id)}>">x</p>` },
  { name: 'textarea-content', make: (id) => `<textarea><img src=x onerror=${call(id)}></textarea>` },
  { name: 'title-content', make: (id) => `<title><img src=x onerror=${call(id)}></title>` },
  { name: 'xmp-content', make: (id) => `<xmp><img src=x onerror=${call(id)}></xmp>` },
  { name: 'template-content', make: (id) => `<template><img src=x onerror=${call(id)}></template>` },
  { name: 'nul-in-tag', make: (id) => `<scr\u0000ipt>${call(id)}</scr\u0000ipt>` },
  // encoded variants (must stay text)
  { name: 'already-escaped', make: (id) => `&lt;script&gt;${call(id)}&lt;/script&gt;` },
  { name: 'url-encoded', make: (id) => `%3Cscript%3E${call(id)}%3C/script%3E` },
  { name: 'js-escaped', make: (id) => `\\u003cscript\\u003e${call(id)}\\u003c/script\\u003e` },
  { name: 'utf7', make: (id) => `+ADw-script+AD4-${call(id)}+ADw-/script+AD4-` },
  { name: 'fullwidth', make: (id) => `＜script＞${call(id)}＜/script＞` },
  // htmx: attributes the console's own library would act on
  { name: 'htmx-get-load', make: (id) => `<div hx-get="/xss-beacon/${id}" hx-trigger="load">x</div>` },
  { name: 'htmx-on', make: (id) => `<div hx-on:htmx:load="${call(id)}" hx-get="/tickets" hx-trigger="load">x</div>` },
  { name: 'htmx-data-prefix', make: (id) => `<div data-hx-get="/xss-beacon/${id}" data-hx-trigger="load">x</div>` },
  { name: 'htmx-vals-js', make: (id) => `<div hx-post="/xss-beacon/${id}" hx-vals="js:{a:${call(id)}}" hx-trigger="load">x</div>` },
  // polyglots and template injection
  { name: 'polyglot-0xsobky', make: (id) => `jaVasCript:/*-/*\`/*\\\`/*'/*"/**/(/* */oNcliCk=${call(id)} )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=${call(id)}//>\\x3e` },
  { name: 'polyglot-closers', make: (id) => `'"--></style></script><script>${call(id)}</script>` },
  { name: 'template-injection', make: (id) => `{{constructor.constructor('${call(id)}')()}}` },
  { name: 'handlebars-triple', make: (id) => `{{{'<img src=x onerror=${call(id)}>'}}}` },
];
