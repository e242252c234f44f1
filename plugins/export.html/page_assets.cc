#include "page_assets.h"

namespace lode::html {

const std::string_view kStyle = R"css(
:root{--ink:#1d2430;--muted:#5b6575;--line:#d9dee6;--paper:#fff;--ground:#f3f5f8;
--red:#b42318;--red-bg:#fef3f2;--red-line:#f4b4ad;--green:#067647;--blue:#1f5fbf;
--m-target:#dbe8fb;--m-target-b:#6f9be0;--m-actual:#d9f2e3;--m-actual-b:#4fae7a;
--m-rate:#fcefc9;--m-rate-b:#d9a521;--m-rank:#ebe3fb;--m-rank-b:#9473d6;--m-other:#eceef1;--m-other-b:#9aa3ae}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--ground);color:var(--ink);font:15px/1.65 "Noto Sans CJK SC","Source Han Sans SC",
"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei","Helvetica Neue",Arial,sans-serif}
.page{max-width:1120px;margin:0 auto;padding:20px 24px 60px;display:flex;flex-direction:column;gap:20px}
#summary{order:-1}
h1{font-size:24px;line-height:1.3;margin:0 0 4px}
h2{font-size:18px;margin:0 0 10px}
a{color:var(--blue)}
.runline{color:var(--muted);margin:0 0 14px;font-size:13.5px}
.runline b{color:var(--ink);font-weight:600}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(108px,1fr));gap:8px;margin:0 0 14px}
.card{background:var(--paper);border:1px solid var(--line);border-radius:8px;padding:6px 10px}
.card b{display:block;font-size:21px;line-height:1.25;font-variant-numeric:tabular-nums}
.card span{color:var(--muted);font-size:12.5px;line-height:1.3;display:block}
.card.alert{border-color:var(--red-line);background:var(--red-bg)}.card.alert b{color:var(--red)}
.block{background:var(--paper);border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin:0 0 12px}
.block > p{margin:0 0 8px}
.blocks{display:flex;flex-wrap:wrap;gap:0 12px;align-items:flex-start}
.blocks .block{flex:1 1 300px;min-width:0}
.blocks .block:has(details[open]),.blocks .block.wide{flex-basis:100%}
.note{color:var(--muted);font-size:13px}
.kinds{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 8px;padding:0;list-style:none}
.kinds li{background:var(--ground);border:1px solid var(--line);border-radius:12px;padding:0 10px;font-size:13px}
.kinds li b{font-variant-numeric:tabular-nums}
table.rows{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0}
table.rows th,table.rows td{border-bottom:1px solid var(--line);padding:4px 8px 4px 0;text-align:left;vertical-align:top}
table.rows th{color:var(--muted);font-weight:600;white-space:nowrap}
table.rows th.n{text-align:right}
table.rows.compact{width:auto;min-width:50%}
table.rows.compact td,table.rows.compact th{padding-right:28px}
table.rows td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.rows td.t{white-space:pre-line;word-break:break-word}
details > summary{cursor:pointer}
details.more{margin:6px 0 0}
details.more > summary{color:var(--blue);font-size:13.5px}
.legend{font-size:13px;color:var(--muted);margin:0 0 12px}
.legend mark{margin:0 3px}
.controls{display:flex;flex-wrap:wrap;gap:10px;align-items:center;font-size:13.5px;margin:0 0 12px}
.controls[hidden]{display:none}
.controls button{font:inherit;padding:2px 10px;border:1px solid var(--line);border-radius:6px;background:var(--paper);cursor:pointer}
.controls input[type=search]{font:inherit;padding:2px 8px;border:1px solid var(--line);border-radius:6px;min-width:220px}
#documents > h2{margin:4px 0 10px}
details.doc{background:var(--paper);border:1px solid var(--line);border-radius:8px;margin:0 0 12px}
details.doc > summary{padding:10px 16px;display:flex;flex-wrap:wrap;gap:4px 14px;align-items:baseline;list-style:none}
details.doc > summary::-webkit-details-marker{display:none}
details.doc > summary::before{content:"\25B8";color:var(--muted);width:1em}
details.doc[open] > summary::before{content:"\25BE"}
details.doc[open] > summary{border-bottom:1px solid var(--line)}
.docid{font-weight:600;word-break:break-all}
.docstats{color:var(--muted);font-size:13px;margin-left:auto}
.docstats .bad{color:var(--red);font-weight:600}
.docbody{padding:6px 20px 14px}
.docmeta{color:var(--muted);font-size:12.5px;margin:4px 0 8px;word-break:break-all}
.warn{background:#fffaeb;border:1px solid #f5d58a;border-radius:6px;padding:4px 10px;margin:6px 0;font-size:13.5px}
h3.part{font-size:17px;margin:18px 0 6px;padding:4px 0;border-bottom:2px solid var(--ink)}
h4.section{font-size:15px;margin:14px 0 4px;color:#2d3a4d}
.item{display:grid;grid-template-columns:2.6em 1fr;gap:0 8px;padding:10px 8px 10px 6px;border-top:1px solid #eef0f3;border-left:3px solid transparent}
.item.bad{border-left-color:var(--red);background:#fffafa}
.num{font-weight:700;color:var(--muted);text-align:right;font-variant-numeric:tabular-nums}
.item p{margin:0 0 4px;white-space:pre-line;word-break:break-word}
.item .target{font-weight:600}
.lbl{color:var(--muted);font-size:12px;font-weight:400;white-space:nowrap}
.f{display:grid;grid-template-columns:4.8em 1fr;gap:0 8px}
.f .lbl{padding-top:1px}
.owners{color:#3b4656;font-size:13.5px}
.line{color:var(--muted);font-size:11.5px;font-weight:400;margin-left:6px}
mark{color:inherit;border-radius:3px;padding:0 2px;border-bottom:2px solid}
mark.r-target{background:var(--m-target);border-color:var(--m-target-b)}
mark.r-actual{background:var(--m-actual);border-color:var(--m-actual-b)}
mark.r-rate{background:var(--m-rate);border-color:var(--m-rate-b)}
mark.r-rank{background:var(--m-rank);border-color:var(--m-rank-b)}
mark.r-other{background:var(--m-other);border-color:var(--m-other-b)}
mark[title]{cursor:help}
.extra{font-size:12.5px;color:var(--muted)}
.extra mark{margin-right:4px}
.prog{display:grid;grid-template-columns:minmax(7em,12em) minmax(120px,220px) 1fr;gap:4px 12px;align-items:center;margin:6px 0 2px;font-size:13px}
.prog .subj{color:var(--muted);overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.bar{position:relative;height:12px;background:#e7eaef;border-radius:6px;overflow:hidden}
.bar i{position:absolute;top:0;bottom:0;background:var(--blue);border-radius:6px}
.bar i.over{background:var(--green)}
.bar i.short{background:#d9a521}
.bar i.neg{background:var(--red)}
.bar b{position:absolute;top:-2px;bottom:-2px;width:2px;background:var(--ink)}
.prog .nums{font-variant-numeric:tabular-nums}
.prog .nums strong{font-size:14px}
.gap-pos{color:var(--green);font-weight:600}
.gap-neg{color:var(--red);font-weight:600}
.audit{font-size:13px;margin:6px 0 2px;padding:3px 8px;border-radius:5px}
.audit.ok{color:var(--green)}
.audit.unverifiable{color:var(--muted)}
.audit.mismatch{color:var(--red);background:var(--red-bg);border:1px solid var(--red-line);font-weight:600}
.audit.mismatch .why{font-weight:400;color:var(--ink);display:block;white-space:pre-line}
.audit .nums{font-variant-numeric:tabular-nums}
.cut{color:var(--muted);font-style:italic;font-size:12px}
.only-bad .item:not(.bad),.only-bad details.doc:not(.has-bad){display:none}
@media print{.controls{display:none}details.doc{break-inside:avoid-page}}
@media (max-width:720px){.page{padding:10px}.prog{grid-template-columns:1fr}.docstats{margin-left:0}}
)css";

const std::string_view kScript = R"js(
(function () {
  var d = document, docs = d.querySelectorAll('details.doc');
  function openAround(el) {
    for (; el; el = el.parentElement) if (el.tagName === 'DETAILS') el.open = true;
  }
  function openHash() {
    if (location.hash.length > 1) openAround(d.getElementById(decodeURIComponent(location.hash.slice(1))));
  }
  window.addEventListener('hashchange', openHash);
  openHash();
  var controls = d.getElementById('controls');
  if (!controls) return;
  controls.hidden = false;
  controls.addEventListener('click', function (e) {
    var act = e.target.getAttribute && e.target.getAttribute('data-act');
    if (act) docs.forEach(function (x) { x.open = act === 'open'; });
  });
  var onlyBad = d.getElementById('only-bad');
  if (onlyBad) onlyBad.addEventListener('change', function () {
    d.body.classList.toggle('only-bad', onlyBad.checked);
    if (onlyBad.checked) d.querySelectorAll('details.doc.has-bad').forEach(function (x) { x.open = true; });
  });
  var find = d.getElementById('find');
  find.addEventListener('input', function () {
    var q = find.value.trim().toLowerCase();
    docs.forEach(function (x) {
      x.hidden = q !== '' && x.querySelector('summary').textContent.toLowerCase().indexOf(q) < 0;
    });
  });
  d.documentElement.setAttribute('data-ready', '1');
})();
)js";

}  // namespace lode::html
