import os, random
random.seed(7)
import sys
root=sys.argv[1]
files=[]
for dp,dn,fn in os.walk(root):
    for f in fn: files.append(os.path.join(dp,f))
files.sort()
random.shuffle(files)
mod=files[:600]; dele=files[600:900]; touch=files[900:920]
for i,p in enumerate(mod):
    old=open(p,'rb').read()
    if i%3==0:  # same size, one byte flipped in the middle
        b=bytearray(old); k=len(b)//2; b[k]=(b[k]+1)%256; new=bytes(b)
    elif i%3==1:  # append
        new=old+os.urandom(random.randint(1,500))
    else:
        new=os.urandom(random.randint(1024,8192))
    open(p,'wb').write(new)
for p in dele: os.remove(p)
for p in touch:
    d=open(p,'rb').read(); open(p,'wb').write(d)  # same bytes, new mtime
added=0
for i in range(200):
    d=os.path.dirname(random.choice(files[1000:]))
    open(os.path.join(d,f"new{i:04d}.dat"),'wb').write(os.urandom(random.randint(1024,8192))); added+=1
for j in range(5):
    d=os.path.join(root,"newshard",f"g{j}"); os.makedirs(d,exist_ok=True)
    for i in range(100):
        data=open(files[1200+j*100+i],'rb').read() if i<20 else os.urandom(random.randint(1024,8192))  # 20% duplicates of existing
        open(os.path.join(d,f"n{i:03d}.dat"),'wb').write(data); added+=1
print("modified",len(mod),"deleted",len(dele),"touched-same",len(touch),"added",added)
open("/tmp/scale/mutations.txt","w").write("\n".join("M "+p for p in mod)+"\n"+"\n".join("D "+p for p in dele)+"\n")
