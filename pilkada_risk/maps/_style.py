"""Private: the risk map's page CSS, desktop first with a phone layout below 600 px width.

Below 600 px the title panel collapses to its title and warning (tap to expand), the legend to a
button, the mini-map, zoom/fullscreen buttons and lineage footer are hidden (the lineage is in the
title panel's details), and labels are a little smaller. Kecamatan labels never take pointer
events: a tap on a name acts on the polygon under it.
"""

from __future__ import annotations

__all__ = ["MAP_CSS", "PHONE_MAX_PX"]

#: Widest viewport (CSS px) that gets the phone layout; keep in step with the page script.
PHONE_MAX_PX = 600

MAP_CSS = """
.folium-map.leaflet-container{background:#dbe7f0}
.pr-panel{background:rgba(255,255,255,.95);padding:6px 9px;border-radius:5px;
 box-shadow:0 1px 4px rgba(0,0,0,.35);
 font:12px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
 color:#111;max-width:320px}
.pr-title{font-weight:700;font-size:14px}
.pr-synthetic{color:#8b0000}
.pr-warn{background:#8b0000;color:#fff;font-weight:700;padding:3px 6px;margin:4px 0 2px;
 border-radius:3px;letter-spacing:.02em}
.pr-warn-list{margin:2px 0 0 16px;padding:0;color:#5a0000}
.pr-basis{margin-top:3px}
.pr-method{color:#333;font-size:11px;margin-top:3px}
.pr-details summary{cursor:pointer;color:#08519c;font-size:11px;margin-top:3px}
.pr-details div{color:#444;font-size:10.5px;margin-top:2px}
.pr-legend div{margin-top:3px}
.pr-legend>b{display:block}
.pr-lg-opt{border-top:1px solid #ccc;padding-top:2px}.pr-lg-opt .pr-dot{display:inline-block;
 width:9px;height:9px;margin:0 6px 0 3px;vertical-align:middle}
.pr-lg-note{color:#444;font-size:11px}
.pr-scale div{margin-top:1px;font-size:11px}.pr-scale i{display:inline-block;width:16px;
 height:11px;margin-right:6px;vertical-align:middle;border:1px solid #777}
.pr-swatch{display:inline-block;width:16px;height:12px;margin-right:6px;vertical-align:middle;
 border:1px solid #555}
.pr-prov{opacity:.55;background-image:repeating-linear-gradient(45deg,transparent 0 3px,
 rgba(255,255,255,.9) 3px 5px)}
.pr-hot{background:transparent;border:2px dashed #3f007d}
.pr-foot{background:rgba(255,255,255,.85);font:10px/1.2 system-ui,sans-serif;color:#222;
 padding:2px 5px;border-radius:3px;max-width:70vw}
.pr-label{pointer-events:none!important}
.pr-label>span{position:absolute;left:0;top:0;transform:translate(-50%,-50%);
 font:600 11px/1.1 system-ui,sans-serif;color:#111;white-space:nowrap;text-align:center;
 text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff;pointer-events:none}
.pr-label.pr-off>span,.pr-label.pr-off .pr-lead{visibility:hidden}
.pr-lead{position:absolute;left:0;top:0;height:0;border-top:1.5px solid #111;
 transform-origin:0 0;pointer-events:none}
.pr-lead:before{content:'';position:absolute;left:-3px;top:-4px;width:5px;height:5px;
 border-radius:50%;background:#111;border:1px solid #fff}
.pr-label.pr-led>span{background:rgba(255,255,255,.92);box-shadow:0 0 0 1px #444;
 border-radius:2px;pointer-events:auto!important;cursor:pointer}
.pr-popup{font-size:13px;line-height:1.35}
.pr-popup h4{margin:0 0 4px;font-size:18px;line-height:1.2}.pr-popup p{margin:4px 0}
.pr-popup .pr-rank{font-size:13px}
.pr-comp td{padding:1px 4px;font-size:11px}.pr-bar{width:90px}
.pr-bar span{display:block;height:9px;background:#6a51a3}
.pr-narasi{font-style:italic;color:#222}
.pr-fs{width:34px;height:34px;font-size:20px;background:#fff;border:2px solid rgba(0,0,0,.2);
 border-radius:4px;cursor:pointer}
.pr-mini{width:150px;height:150px;border:2px solid rgba(0,0,0,.25);background:#dbe7f0}
.pr-dot{border-radius:50%;border:1.5px solid #fff;box-shadow:0 0 0 1px #000}
.pr-time input{width:180px;vertical-align:middle}
.pr-banner{position:fixed;left:0;right:0;height:22px;z-index:2000;background:#8b0000;color:#fff;
 font:700 13px/22px system-ui,sans-serif;text-align:center;letter-spacing:.12em}
.pr-banner-top{top:0}.pr-banner-bottom{bottom:0}
body.pr-classified .folium-map{position:absolute!important;top:22px!important;bottom:22px!important;
 height:auto!important}
.pr-tap{display:none}
@media (max-width:600px){
 .pr-panel{max-width:calc(100vw - 24px);padding:4px 8px}
 .pr-head{width:calc(100vw - 40px);cursor:pointer}
 .pr-head .pr-title{font-size:13px;display:flex;gap:6px;align-items:baseline}
 .pr-head .pr-tt{flex:1;min-width:0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
 .pr-head.pr-open .pr-tt{white-space:normal}
 .pr-head:not(.pr-open) .pr-more{display:none}
 .pr-tap{display:inline;color:#08519c;font-weight:400;font-size:11px;white-space:nowrap}
 .pr-legend{cursor:pointer}
 .pr-legend:not(.pr-open)>:not(b){display:none}
 .pr-mini,.pr-fs,.pr-foot,.leaflet-control-zoom{display:none!important}
 .pr-label>span{font-size:10px}
 .leaflet-popup-content{margin:10px 14px 10px 12px}
}
"""
