"""Private: the page script that keeps the risk map readable on any screen.

It runs after every layer and control is on the page (``MAP``, ``KEC``, ``LBL`` and ``RNG``
defined) and

* fits the kabupaten into the part of the map that no control covers (the *free* rectangle:
  below 600 px width every control is a strip across the top or bottom; wider, a control
  narrower than 40 % of the map is a column at its side);
* shows a kecamatan label only where it fits: inside the view, off every control and off the
  labels of higher-ranked kecamatan (rank 1 first), re-checked on every move and zoom (all
  boxes are read first, then the classes written: one layout per pass); a polygon smaller than
  14 px gets a dashed ring that opens its popup when tapped;
* opens each popup inside the free rectangle (its width and height capped, with a scroll bar)
  and then pans the map by the smallest shift that puts the whole popup off every control and
  inside the view (Leaflet's own auto-pan knows only one padding per side);
* on a phone, expands the title panel or the legend when tapped; on a wide screen, hides the
  minimap while it would overlap a tall title panel.

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
function mini(){var m=C.querySelector('.pr-mini'),h=C.querySelector('.pr-head');if(!m||!h)return;
var a=m.getBoundingClientRect(),b=h.getBoundingClientRect();
m.style.visibility=a.top<b.bottom+6&&a.left<b.right?'hidden':'';}
function place(){mini();var c=C.getBoundingClientRect(),v=view(),O=obstacles(),S=[],E=[];
LBL.forEach(function(m){var e=m.getElement();if(!e)return;
var b=box(e.firstChild.getBoundingClientRect(),c);b.l-=2;b.r+=2;b.t-=1;b.b+=1;
var ok=b.l>=v.l&&b.t>=v.t&&b.r<=v.r&&b.b<=v.b&&!O.some(function(o){return hit(o,b);})&&
!S.some(function(o){return hit(o,b);});if(ok)S.push(b);E.push([e,ok]);});
E.forEach(function(x){x[0].classList.toggle('pr-off',!x[1]);});
RNG.forEach(function(r){var l=KL[r.k];if(!l)return;var bb=l.getBounds(),
a=MAP.latLngToContainerPoint(bb.getNorthWest()),z=MAP.latLngToContainerPoint(bb.getSouthEast());
var small=Math.max(z.x-a.x,z.y-a.y)<14;if(small&&!RG.hasLayer(r.m))RG.addLayer(r.m);
if(!small&&RG.hasLayer(r.m))RG.removeLayer(r.m);});}
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
MAP.on('popupopen',function(e){var p=e.popup,f=free();p.options.autoPan=false;
p.options.maxWidth=Math.max(180,Math.min(340,f.r-f.l-44));
p.options.minWidth=Math.min(220,p.options.maxWidth);
p.options.maxHeight=Math.max(120,Math.min(phone()?2000:480,f.b-f.t-64));p.update();fitPopup(p);});
C.querySelectorAll('.pr-head,.pr-legend').forEach(function(d){d.addEventListener('click',function(ev){
if(!phone()||ev.target.closest('summary,a,input,label'))return;d.classList.toggle('pr-open');place();});});
C.querySelectorAll('.leaflet-control details').forEach(function(d){
d.addEventListener('toggle',place);});MAP.on('zoomend moveend resize',place);
window.PR={fit:fit,place:place,free:free,view:view};fit();})();"""


def page_js() -> str:
    """The page script (trusted code, no data); see the module docstring."""
    return _JS.replace("__PHONE__", str(PHONE_MAX_PX))
