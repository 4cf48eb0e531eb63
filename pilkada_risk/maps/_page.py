"""Private: the page script that keeps the risk map readable on any screen.

It runs after every layer and control is on the page (``MAP``, ``KEC``, ``LBL`` and ``RNG``
defined) and

* fits the kabupaten into the part of the map that no control covers (the *free* rectangle:
  below 600 px width every control is a strip across the top or bottom; wider, a control
  narrower than 40 % of the map is a column at its side);
* names every kecamatan it can, in the order of the labels (top 3 and class changes first,
  then by rank), re-checked on every move and zoom (all boxes are read first, then the classes
  written: one layout per pass). A name goes on its label point when it fits there (inside the
  view, off every control and off the names already placed); otherwise on the cheapest free
  spot around it (distance in px, +30 when the name leaves its kecamatan and gets a leader line
  to its point, +14 per sample point of the name's box on another kecamatan, so sea and empty
  ground are preferred), never over a ring or a plan square. A name with a leader line opens
  its own kecamatan's popup when tapped; the others let taps through to the polygon. A polygon
  smaller than 14 px gets a dashed ring that opens its popup when tapped;
* opens each popup inside the free rectangle (its width and height capped, with a scroll bar)
  and then pans the map by the smallest shift that puts the whole popup off every control and
  inside the view (Leaflet's own auto-pan knows only one padding per side);
* on a phone, expands the title panel or the legend when tapped; keeps the open layer list
  above the controls below it (scrolling within) and hides the minimap while it would overlap
  any other control (a tall title panel, the open layer list);
* closes a layer's tooltip when its popup opens: a tap on a phone opens the popup only.

``window.PR`` exposes ``fit``, ``place`` and ``free`` for the browser tests.
"""

from __future__ import annotations

from pilkada_risk.maps._style import PHONE_MAX_PX

__all__ = ["page_js"]

_JS = """(function(){var C=MAP.getContainer(),PH=__PHONE__;
function phone(){return C.clientWidth<PH;}
function hit(a,b){return a.l<b.r&&b.l<a.r&&a.t<b.b&&b.t<a.b;}
function box(r,c){return{l:r.left-c.left,t:r.top-c.top,r:r.right-c.left,b:r.bottom-c.top};}
function view(){var c=C.getBoundingClientRect();return{l:Math.max(0,-c.left),t:Math.max(0,-c.top),
r:Math.min(c.width,innerWidth-c.left),b:Math.min(c.height,innerHeight-c.top)};}
function obstacles(){var c=C.getBoundingClientRect(),out=[];
C.querySelectorAll('.leaflet-control').forEach(function(e){
var r=e.getBoundingClientRect();if(r.width<1||r.height<1||e.style.visibility==='hidden')return;
var o=box(r,c),p=e.parentNode.classList;
o.top=p.contains('leaflet-top');o.left=p.contains('leaflet-left');out.push(o);});return out;}
function free(){var v=view(),g=8,f={l:v.l+g,t:v.t+g,r:v.r-g,b:v.b-g},ph=phone(),W=v.r-v.l;
obstacles().forEach(function(o){if(ph||o.r-o.l>0.4*W){if(o.top)f.t=Math.max(f.t,o.b+g);
else f.b=Math.min(f.b,o.t-g);}else if(o.left)f.l=Math.max(f.l,o.r+g);
else f.r=Math.min(f.r,o.l-g);});return f;}
var KL={};KEC.eachLayer(function(l){KL[l.feature.properties.kode]=l;});
function rect(e){var r=e.getBoundingClientRect();return r.width<1||r.height<1?null:
{l:r.left-6,t:r.top-6,r:r.right+6,b:r.bottom+6};}
function layers(){var e=C.querySelector('.leaflet-control-layers'),s=e&&
e.querySelector('.leaflet-control-layers-list');if(!s)return;s.style.maxHeight='';
if(!e.classList.contains('leaflet-control-layers-expanded'))return;var r=e.getBoundingClientRect(),
lim=Math.min(innerHeight,C.getBoundingClientRect().bottom);C.querySelectorAll('.leaflet-control')
.forEach(function(o){if(o===e||o.classList.contains('pr-mini'))return;
var q=o.getBoundingClientRect();
if(q.width>0&&q.top>r.top+4&&q.left<r.right&&r.left<q.right)lim=Math.min(lim,q.top-8);});
s.style.maxHeight=Math.max(60,lim-r.top-14)+'px';s.style.overflowY='auto';}
function mini(){var m=C.querySelector('.pr-mini');if(!m)return;layers();m.style.visibility='';
var a=rect(m);if(!a)return;m.style.visibility=Array.prototype.some.call(
C.querySelectorAll('.leaflet-control'),function(o){if(o===m)return false;var q=rect(o);
return q&&hit(a,q);})?'hidden':'';}
function shapes(){var out=[];KEC.eachLayer(function(l){var rs=[],b={l:1e9,t:1e9,r:-1e9,b:-1e9};
(function f(a){if(a.length&&a[0] instanceof L.LatLng){rs.push(a.map(function(ll){
var q=MAP.latLngToContainerPoint(ll);b.l=Math.min(b.l,q.x);b.r=Math.max(b.r,q.x);
b.t=Math.min(b.t,q.y);b.b=Math.max(b.b,q.y);return [q.x,q.y];}));}
else a.forEach(f);})(l.getLatLngs());
out.push({k:l.feature.properties.kode,rs:rs,b:b});});return out;}
function inside(P,x,y){if(x<P.b.l||x>P.b.r||y<P.b.t||y>P.b.b)return false;var c=false;
P.rs.forEach(function(g){for(var i=0,j=g.length-1;i<g.length;j=i++){var a=g[i],d=g[j];
if((a[1]>y)!==(d[1]>y)&&x<(d[0]-a[0])*(y-a[1])/(d[1]-a[1])+a[0])c=!c;}});return c;}
function owner(PP,x,y){for(var i=0;i<PP.length;i++)if(inside(PP[i],x,y))return PP[i].k;return null;}
function cross(x0,y0,x1,y1,S){for(var i=1;i<12;i++){var x=x0+(x1-x0)*i/12,y=y0+(y1-y0)*i/12;
if(S.some(function(o){return x>o.l&&x<o.r&&y>o.t&&y<o.b;}))return true;}return false;}
var RAD=[0,8,16,26,38,52,70,92,118,148],DIR=16;
function spot(it,v,O,S,PP){var best=null;RAD.forEach(function(r){for(var i=0;i<DIR;i++){
var t=2*Math.PI*i/DIR,dx=r&&Math.cos(t)*(it.w/2+r-8),dy=r&&Math.sin(t)*(it.h/2+r-8),
d=Math.sqrt(dx*dx+dy*dy);if(best&&d>=best.c)return;var b={l:it.x+dx-it.w/2,r:it.x+dx+it.w/2,
t:it.y+dy-it.h/2,b:it.y+dy+it.h/2};if(b.l<v.l||b.t<v.t||b.r>v.r||b.b>v.b||
O.some(function(o){return hit(o,b);})||S.some(function(o){return hit(o,b);}))continue;
var cx=it.x+dx,cy=it.y+dy,led=owner(PP,cx,cy)!==it.k,oth=0;
[[b.l,b.t],[b.r,b.t],[b.l,b.b],[b.r,b.b],[cx,b.t],[cx,b.b],[b.l,cy],[b.r,cy],[cx,cy]].forEach(
function(p){var o=owner(PP,p[0],p[1]);if(o!==null&&o!==it.k)oth++;});
var c=d+(led?30:0)+14*oth;if(led&&cross(it.x,it.y,cx,cy,S))continue;
if(!best||c<best.c)best={c:c,dx:dx,dy:dy,b:b,led:led};if(!r)break;}});return best;}
function lead(it){var e=it.e,ln=e.querySelector('.pr-lead');if(!it.led){if(ln)ln.remove();return;}
if(!ln){ln=document.createElement('i');ln.className='pr-lead';e.appendChild(ln);}
var hw=it.w/2-2,hh=it.h/2-1,ax=Math.abs(it.dx),ay=Math.abs(it.dy),
s=1-Math.min(ax?hw/ax:1,ay?hh/ay:1),len=Math.max(0,s*Math.sqrt(it.dx*it.dx+it.dy*it.dy));
ln.style.width=len+'px';ln.style.transform='rotate('+Math.atan2(it.dy,it.dx)+'rad)';}
function loops(c){var out=[];RNG.forEach(function(r){var l=KL[r.k];if(!l)return;
var bb=l.getBounds(),
a=MAP.latLngToContainerPoint(bb.getNorthWest()),z=MAP.latLngToContainerPoint(bb.getSouthEast());
var small=Math.max(z.x-a.x,z.y-a.y)<14;if(small&&!RG.hasLayer(r.m))RG.addLayer(r.m);
if(!small&&RG.hasLayer(r.m))RG.removeLayer(r.m);var e=small&&r.m.getElement();
if(e)out.push(box(e.getBoundingClientRect(),c));});C.querySelectorAll('.pr-plan-kec').forEach(
function(e){out.push(box(e.getBoundingClientRect(),c));});return out;}
function place(){mini();var c=C.getBoundingClientRect(),v=view(),O=obstacles(),S=[],PP=null,
Q=O.concat(loops(c));
var I=LBL.map(function(m){var e=m.getElement();if(!e)return null;var s=e.firstChild,
a=box(e.getBoundingClientRect(),c);return {m:m,e:e,s:s,k:s.dataset.kode,x:a.l,y:a.t,
w:s.offsetWidth+4,h:s.offsetHeight+2,dx:0,dy:0,ok:false,led:false};}).filter(Boolean);
I.forEach(function(it){var b={l:it.x-it.w/2,r:it.x+it.w/2,t:it.y-it.h/2,b:it.y+it.h/2};
if(b.l>=v.l&&b.t>=v.t&&b.r<=v.r&&b.b<=v.b&&!O.some(function(o){return hit(o,b);})&&
!S.some(function(o){return hit(o,b);})){S.push(b);it.ok=true;}});
I.forEach(function(it){if(it.ok||it.x<v.l||it.x>v.r||it.y<v.t||it.y>v.b)return;PP=PP||shapes();
var p=spot(it,v,Q,S,PP);if(!p)return;S.push(p.b);it.ok=true;it.dx=p.dx;it.dy=p.dy;it.led=p.led;});
I.forEach(function(it){it.e.classList.toggle('pr-off',!it.ok);it.e.classList.toggle('pr-led',it.led);
it.s.style.transform=it.dx||it.dy?'translate(calc(-50% + '+it.dx+'px),calc(-50% + '+it.dy+'px))':'';
lead(it);if(!it.e.prClick){it.e.prClick=1;it.s.addEventListener('click',function(ev){
if(!it.e.classList.contains('pr-led'))return;L.DomEvent.stop(ev);var l=KL[it.k];
if(l)l.openPopup(it.m.getLatLng());});}});}
RNG.forEach(function(r){r.m.on('click',function(){var l=KL[r.k];
if(l)l.openPopup(r.m.getLatLng());});});
function fit(){var f=free();MAP.fitBounds(BND,{paddingTopLeft:[f.l,f.t],
paddingBottomRight:[C.clientWidth-f.r,C.clientHeight-f.b],animate:false});place();}
function fitPopup(p){var el=p.getElement();if(!el)return;var c=C.getBoundingClientRect(),
P=box(el.getBoundingClientRect(),c),v=view(),g=6,O=obstacles(),best=null,
xs=[0,v.l+g-P.l,v.r-g-P.r],ys=[0,v.t+g-P.t,v.b-g-P.b];
O.forEach(function(o){xs.push(o.r+g-P.l,o.l-g-P.r);ys.push(o.b+g-P.t,o.t-g-P.b);});
xs.forEach(function(dx){ys.forEach(function(dy){var Q={l:P.l+dx,t:P.t+dy,r:P.r+dx,b:P.b+dy};
if(Q.l<v.l||Q.t<v.t||Q.r>v.r||Q.b>v.b)return;for(var i=0;i<O.length;i++)if(hit(O[i],Q))return;
var d=Math.abs(dx)+Math.abs(dy);if(!best||d<best[0])best=[d,dx,dy];});});
if(!best){var f=free();best=[1,f.l-P.l,f.t-P.t];}
if(best[0]>0.5)MAP.panBy([-best[1],-best[2]],{animate:false});}
MAP.on('popupopen',function(e){var p=e.popup,f=free(),src=p._source;
if(src&&src.closeTooltip)src.closeTooltip();p.options.autoPan=false;
p.options.maxWidth=Math.max(180,Math.min(340,f.r-f.l-44));
p.options.minWidth=Math.min(220,p.options.maxWidth);
p.options.maxHeight=Math.max(120,Math.min(phone()?2000:480,f.b-f.t-64));p.update();fitPopup(p);});
C.querySelectorAll('.pr-head,.pr-legend').forEach(function(d){d.addEventListener('click',function(ev){
if(!phone()||ev.target.closest('summary,a,input,label'))return;d.classList.toggle('pr-open');place();});});
C.querySelectorAll('.leaflet-control details').forEach(function(d){
d.addEventListener('toggle',place);});MAP.on('zoomend moveend resize overlayadd',place);
if(window.MutationObserver)new MutationObserver(function(){mini();place();}).observe(
C.querySelector('.leaflet-control-container'),{subtree:true,attributes:true,attributeFilter:['class']});
window.PR={fit:fit,place:place,free:free,view:view};fit();})();"""


def page_js() -> str:
    """The page script (trusted code, no data); see the module docstring."""
    return _JS.replace("__PHONE__", str(PHONE_MAX_PX))
