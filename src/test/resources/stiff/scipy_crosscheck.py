# Offline cross-check of reference.csv: the six problems' equations typed in again from the
# IVP Test Set's Fortran feval routines, integrated with scipy.integrate.solve_ivp (Radau, LSODA,
# BDF) and compared with the test set's reference values. Not run by the build; its output is in
# scipy_crosscheck.txt. Usage: python3 scipy_crosscheck.py [problem ...]   (then the tight runs)
import numpy as np, time
from scipy.integrate import solve_ivp

def rober(t,y):
    return [-0.04*y[0]+1e4*y[1]*y[2], 0.04*y[0]-1e4*y[1]*y[2]-3e7*y[1]**2, 3e7*y[1]**2]
def hires(t,y):
    f=np.empty(8)
    f[0]=-1.71*y[0]+0.43*y[1]+8.32*y[2]+0.0007
    f[1]=1.71*y[0]-8.75*y[1]
    f[2]=-10.03*y[2]+0.43*y[3]+0.035*y[4]
    f[3]=8.32*y[1]+1.71*y[2]-1.12*y[3]
    f[4]=-1.745*y[4]+0.43*y[5]+0.43*y[6]
    f[5]=-280*y[5]*y[7]+0.69*y[3]+1.71*y[4]-0.43*y[5]+0.69*y[6]
    f[6]=280*y[5]*y[7]-1.81*y[6]
    f[7]=-f[6]
    return f
k=[None,.35,26.6,1.23e4,8.6e-4,8.2e-4,1.5e4,1.3e-4,2.4e4,1.65e4,9e3,.022,1.2e4,1.88,1.63e4,4.8e6,3.5e-4,.0175,1e8,4.44e11,1.24e3,2.1,5.78,.0474,1.78e3,3.12]
def pollu(t,yy):
    y=[None]+list(yy)
    r=[None]*26
    r[1]=k[1]*y[1]; r[2]=k[2]*y[2]*y[4]; r[3]=k[3]*y[5]*y[2]; r[4]=k[4]*y[7]; r[5]=k[5]*y[7]
    r[6]=k[6]*y[7]*y[6]; r[7]=k[7]*y[9]; r[8]=k[8]*y[9]*y[6]; r[9]=k[9]*y[11]*y[2]; r[10]=k[10]*y[11]*y[1]
    r[11]=k[11]*y[13]; r[12]=k[12]*y[10]*y[2]; r[13]=k[13]*y[14]; r[14]=k[14]*y[1]*y[6]; r[15]=k[15]*y[3]
    r[16]=k[16]*y[4]; r[17]=k[17]*y[4]; r[18]=k[18]*y[16]; r[19]=k[19]*y[16]; r[20]=k[20]*y[17]*y[6]
    r[21]=k[21]*y[19]; r[22]=k[22]*y[19]; r[23]=k[23]*y[1]*y[4]; r[24]=k[24]*y[19]*y[1]; r[25]=k[25]*y[20]
    f=[0]*21
    f[1]=-r[1]-r[10]-r[14]-r[23]-r[24]+r[2]+r[3]+r[9]+r[11]+r[12]+r[22]+r[25]
    f[2]=-r[2]-r[3]-r[9]-r[12]+r[1]+r[21]
    f[3]=-r[15]+r[1]+r[17]+r[19]+r[22]
    f[4]=-r[2]-r[16]-r[17]-r[23]+r[15]
    f[5]=-r[3]+2*r[4]+r[6]+r[7]+r[13]+r[20]
    f[6]=-r[6]-r[8]-r[14]-r[20]+r[3]+2*r[18]
    f[7]=-r[4]-r[5]-r[6]+r[13]
    f[8]=r[4]+r[5]+r[6]+r[7]
    f[9]=-r[7]-r[8]
    f[10]=-r[12]+r[7]+r[9]
    f[11]=-r[9]-r[10]+r[8]+r[11]
    f[12]=r[9]
    f[13]=-r[11]+r[10]
    f[14]=-r[13]+r[12]
    f[15]=r[14]
    f[16]=-r[18]-r[19]+r[16]
    f[17]=-r[20]
    f[18]=r[20]
    f[19]=-r[21]-r[22]-r[24]+r[23]+r[25]
    f[20]=-r[25]+r[24]
    return f[1:]
def orego(t,y):
    return [77.27*(y[1]+y[0]*(1-8.375e-6*y[0]-y[1])), (y[2]-(1+y[0])*y[1])/77.27, 0.161*(y[0]-y[2])]
def vdpol(t,y):
    return [y[1], ((1-y[0]**2)*y[1]-y[0])/1e-6]
def e5(t,y):
    p1=7.89e-10*y[0]; p2=1.1e7*y[0]*y[2]; p3=1.13e9*y[1]*y[2]; p4=1.13e3*y[3]
    f1=-p1-p2; f2=p1-p3; f4=p2-p4
    return [f1,f2,f2-f4,f4]

pollu0=np.zeros(20); pollu0[1]=.2; pollu0[3]=.04; pollu0[6]=.1; pollu0[7]=.3; pollu0[8]=.01; pollu0[16]=.007
probs={
 'rober':(rober,[1,0,0],1e11,[0.2083340149701255e-07,0.8333360770334713e-13,0.9999999791665050],1e-24),
 'hires':(hires,[1,0,0,0,0,0,0,.0057],321.8122,[0.7371312573325668e-3,0.1442485726316185e-3,0.5888729740967575e-4,0.1175651343283149e-2,0.2386356198831331e-2,0.6238968252742796e-2,0.2849998395185769e-2,0.2850001604814231e-2],1e-16),
 'pollu':(pollu,pollu0,60.,[0.5646255480022769e-01,0.1342484130422339e+00,0.4139734331099427e-08,0.5523140207484359e-02,0.2018977262302196e-06,0.1464541863493966e-06,0.7784249118997964e-01,0.3245075353396018e+00,0.7494013383880406e-02,0.1622293157301561e-07,0.1135863833257075e-07,0.2230505975721359e-02,0.2087162882798630e-03,0.1396921016840158e-04,0.8964884856898295e-02,0.4352846369330103e-17,0.6899219696263405e-02,0.1007803037365946e-03,0.1772146513969984e-05,0.5682943292316392e-04],1e-22),
 'orego':(orego,[1,2,3],360.,[0.1000814870318523e1,0.1228178521549917e4,0.1320554942846706e3],1e-14),
 'vdpol':(vdpol,[2,0],2.,[0.1706167732170483e1,-0.8928097010247975e0],1e-14),
 'e5':(e5,[1.76e-3,0,0,0],1e13,[0.1152903278711829e-290,0.8867655517642120e-22,0.8854814626268838e-22,0.],1e-30),
}
import sys
names = sys.argv[1:] or list(probs)
for name in names:
    f,y0,T,ref,atol=probs[name]
    for method in ['Radau','LSODA','BDF']:
        t0=time.time()
        try:
            s=solve_ivp(f,(0,T),np.array(y0,float),method=method,rtol=1e-12,atol=atol)
            y=s.y[:,-1]
        except Exception as e:
            print(name,method,'failed',e); continue
        ref=np.array(ref)
        rel=np.abs(y-ref)/np.maximum(np.abs(ref),1e-300)
        print(f"{name:6s} {method:6s} ok={s.success} nfev={s.nfev} {time.time()-t0:.1f}s  max rel dev={np.max(np.where(ref!=0,rel,0)):.2e}")
        for i,(a,b) in enumerate(zip(y,ref)):
            print(f"   y{i+1:<2d} scipy={a:.16e} ref={b:.16e} rel={abs(a-b)/abs(b) if b!=0 else abs(a):.2e}")
        sys.stdout.flush()

# Tighter runs where rtol 1e-12 is not enough: ROBER and E5 with Radau at rtol 1e-13.
if not sys.argv[1:]:
    for name,atol in [('rober',1e-24),('e5',1e-36)]:
        f,y0,T,ref,_=probs[name]
        s=solve_ivp(f,(0,T),np.array(y0,float),method='Radau',rtol=1e-13,atol=atol)
        y=s.y[:,-1]
        print(name,'Radau rtol 1e-13 atol',atol,'ok=',s.success,'nfev=',s.nfev)
        for i,(a,b) in enumerate(zip(y,ref)):
            print(f"   y{i+1:<2d} scipy={a:.16e} ref={b:.16e} rel={abs(a-b)/abs(b) if b!=0 else abs(a):.2e}")
