() => {
  function parse(c){const m=c.match(/rgba?\(([^)]+)\)/); if(!m) return [0,0,0,0];
    const p=m[1].split(/[ ,\/]+/).filter(x=>x).map(Number); return [p[0],p[1],p[2],p.length>3?p[3]:1];}
  function over(top,bot){const a=top[3]+bot[3]*(1-top[3]); if(a==0) return [0,0,0,0];
    return [0,1,2].map(i=>(top[i]*top[3]+bot[i]*bot[3]*(1-top[3]))/a).concat([a]);}
  function lum(c){const f=v=>{v/=255;return v<=0.03928?v/12.92:Math.pow((v+0.055)/1.055,2.4)};
    return 0.2126*f(c[0])+0.7152*f(c[1])+0.0722*f(c[2]);}
  function bg(el){const stack=[];let e=el;
    while(e && e.nodeType===1){const c=parse(getComputedStyle(e).backgroundColor); if(c[3]>0) stack.push(c); if(c[3]>=1) break; e=e.parentElement;}
    let b=[255,255,255,1]; if(!e) {const r=parse(getComputedStyle(document.documentElement).backgroundColor); if(r[3]>0) b=r;}
    for(let i=stack.length-1;i>=0;i--) b=over(stack[i],b); return b;}
  function opac(el){let o=1,e=el;while(e&&e.nodeType===1){o*=parseFloat(getComputedStyle(e).opacity);e=e.parentElement;}return o;}
  const bad=[]; const seen=new Set();
  const walker=document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n; while((n=walker.nextNode())){
    if(!n.textContent.trim()) continue; const el=n.parentElement; if(!el||seen.has(el)) continue; seen.add(el);
    if(el.closest('script,style,noscript,mjx-assistive-mml,.visually-hidden,.sr-only')) continue;
    const r=el.getBoundingClientRect(); if(r.width==0||r.height==0) continue;
    const cs=getComputedStyle(el); if(cs.visibility!=='visible'||cs.display==='none') continue;
    let fg=parse(cs.color); fg[3]*=opac(el); const b=bg(el); const f=over(fg,b);
    const L1=lum(f),L2=lum(b); const ratio=(Math.max(L1,L2)+0.05)/(Math.min(L1,L2)+0.05);
    if(ratio<4.5) bad.push({text:n.textContent.trim().slice(0,40),tag:el.tagName,cls:el.className.toString().slice(0,40),ratio:+ratio.toFixed(2),fg:cs.color,bg:'rgb('+b.slice(0,3).map(Math.round)+')'});
  }
  return bad;
}
