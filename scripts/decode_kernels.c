// GFLOP/s of the decode kernels (Sources/CKernels) alone on the SMALL model's decode shapes: 16 rows against six
// layers' weights (so they come from memory, as in sampling), one thread.
//
//   clang -O2 -I Sources/CKernels -o /tmp/decode-kernels scripts/decode_kernels.c && /tmp/decode-kernels
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "CKernels.h"
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
typedef void (*fn)(float*,const float*,const float*,const float*,ptrdiff_t,ptrdiff_t,ptrdiff_t,ptrdiff_t,ptrdiff_t,int);
int main(){
  const int shapes[][2]={{384,640},{384,2048},{1024,384},{384,384},{384,512}};
  fn fns[2]={ckernels_decode_columns_avx2_fma, ckernels_decode_columns_avx512};
  const char*names[2]={"avx2","avx512"};
  int rows=16;
  for(int f=0;f<2;f++){ double tf=0, tt=0;
   for(int s=0;s<5;s++){int k=shapes[s][0],n=shapes[s][1];
    // many distinct weight matrices to defeat cache (like 6 layers)
    int L=6; float*w=malloc(sizeof(float)*n*k*L),*x=malloc(sizeof(float)*rows*k),*o=malloc(sizeof(float)*rows*n);
    for(long i=0;i<(long)n*k*L;i++)w[i]=(i%97)*0.01f; for(int i=0;i<rows*k;i++)x[i]=(i%13)*0.1f;
    double best=1e9; for(int r=0;r<5;r++){double t0=now(); for(int it=0;it<50;it++) for(int l=0;l<L;l++) fns[f](o,x,w+(long)l*n*k,NULL,rows,k,n,0,n,0); double t=(now()-t0)/50; if(t<best)best=t;}
    double fl=2.0*rows*n*k*L; printf("%s k=%d n=%d %.1f GFLOP/s\n",names[f],k,n,fl/best/1e9); tf+=fl; tt+=best; free(w);free(x);free(o);}
   printf("%s overall %.1f\n",names[f],tf/tt/1e9);}
}
