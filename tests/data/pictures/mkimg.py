"""mkimg.py: real pictures for tests/cli/pictures.sh, written without an
image library (zlib and struct only).

  mkimg.py png FILE W H [DPI [CUT]]   an RGB PNG, with pHYs when DPI > 0,
                                      its first CUT bytes only when given
  mkimg.py jpeg FILE W H [DPI]        a grey baseline JPEG (JFIF density)
  mkimg.py gif FILE W H               a GIF89a
"""
import struct, zlib, sys
def png(path, w, h, dpi=None, color=(200,30,30), trunc=None):
    raw=b''.join(b'\x00'+bytes(color)*w for _ in range(h))
    def chunk(t,d): return struct.pack('>I',len(d))+t+d+struct.pack('>I',zlib.crc32(t+d)&0xffffffff)
    out=b'\x89PNG\r\n\x1a\n'+chunk(b'IHDR',struct.pack('>IIBBBBB',w,h,8,2,0,0,0))
    if dpi: out+=chunk(b'pHYs',struct.pack('>IIB',round(dpi/0.0254),round(dpi/0.0254),1))
    out+=chunk(b'IDAT',zlib.compress(raw))+chunk(b'IEND',b'')
    if trunc: out=out[:trunc]
    open(path,'wb').write(out)
def jpeg(path, w, h, dpi=None):
    o=b'\xff\xd8'
    units,d=(1,dpi) if dpi else (0,1)
    o+=b'\xff\xe0'+struct.pack('>H',16)+b'JFIF\x00\x01\x01'+struct.pack('>BHHBB',units,d,d,0,0)
    o+=b'\xff\xdb'+struct.pack('>H',67)+b'\x00'+bytes([1]*64)
    o+=b'\xff\xc0'+struct.pack('>HBHHB',11,8,h,w,1)+b'\x01\x11\x00'
    # DC table 0: standard luminance
    dcb=[0,1,5,1,1,1,1,1,1,0,0,0,0,0,0,0]; dcv=list(range(12))
    o+=b'\xff\xc4'+struct.pack('>H',2+1+16+12)+b'\x00'+bytes(dcb)+bytes(dcv)
    # AC table 0: EOB only, code '00'
    acb=[0,1]+[0]*14; acv=[0]
    o+=b'\xff\xc4'+struct.pack('>H',2+1+16+1)+b'\x10'+bytes(acb)+bytes(acv)
    o+=b'\xff\xda'+struct.pack('>HB',8,1)+b'\x01\x00'+b'\x00\x3f\x00'
    nb=((w+7)//8)*((h+7)//8)
    bits='0000'*nb  # DC cat 0 '00', EOB '00'
    bits+='1'*((-len(bits))%8)
    o+=bytes(int(bits[i:i+8],2) for i in range(0,len(bits),8))
    o+=b'\xff\xd9'
    open(path,'wb').write(o)
def gif(path, w, h):
    o=b'GIF89a'+struct.pack('<HHBBB',w,h,0x80|0x00|0x01,0,0)  # GCT 4 colours (size field 1 -> 2^(1+1))
    o+=bytes([0,0,255, 255,255,255, 0,0,0, 255,0,0])
    o+=b','+struct.pack('<HHHHB',0,0,w,h,0)
    mcs=2; o+=bytes([mcs])
    codes=[]
    n=w*h; i=0
    while i<n:
        codes.append(4)
        codes.append(0)
        if i+1<n: codes.append(0)
        i+=2
    codes.append(5)
    acc=0; nbits=0; data=bytearray()
    for c in codes:
        acc|=c<<nbits; nbits+=3
        while nbits>=8: data.append(acc&255); acc>>=8; nbits-=8
    if nbits: data.append(acc&255)
    for k in range(0,len(data),255):
        blk=data[k:k+255]; o+=bytes([len(blk)])+bytes(blk)
    o+=b'\x00;'
    open(path,'wb').write(o)
kind=sys.argv[1]
if kind=='png': png(sys.argv[2],int(sys.argv[3]),int(sys.argv[4]),float(sys.argv[5]) if len(sys.argv)>5 and sys.argv[5]!='0' else None, trunc=int(sys.argv[6]) if len(sys.argv)>6 else None)
elif kind=='jpeg': jpeg(sys.argv[2],int(sys.argv[3]),int(sys.argv[4]),int(sys.argv[5]) if len(sys.argv)>5 else None)
elif kind=='gif': gif(sys.argv[2],int(sys.argv[3]),int(sys.argv[4]))
