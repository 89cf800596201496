/* oneDNN 2.6 convolution, one thread: channels-last (nhwc) against the 8-channel blocked layout
 * (nChw8c), on layer shapes of the benchmark networks, with bias and a ReLU post-op as Lightbox
 * runs them. Prints the implementation oneDNN chose, the best of 30 runs and GFLOP/s.
 * Evidence for docs/INFERENCE_BACKENDS.md (measurement 10); not part of make test.
 *
 *   gcc -O2 Benchmarks/onnx/dnnl_layouts.c -o /tmp/dnnl_layouts -ldnnl -fopenmp && /tmp/dnnl_layouts
 */
#include <oneapi/dnnl/dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <omp.h>
#define CHK(x) do{ dnnl_status_t s=(x); if(s){fprintf(stderr,"err %d at %s\n",s,#x);exit(1);} }while(0)
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e3+t.tv_nsec/1e6;}
int main(int argc,char**argv){
  omp_set_num_threads(1);
  dnnl_engine_t eng; CHK(dnnl_engine_create(&eng,dnnl_cpu,0));
  dnnl_stream_t st; CHK(dnnl_stream_create(&st,eng,dnnl_stream_default_flags));
  int cfg[][5]={{64,64,56,3,1},{128,128,28,3,1},{256,256,14,3,1},{512,512,7,3,1},{64,256,56,1,1},{256,64,56,1,1},{32,32,256,3,1},{3,64,224,7,2}};
  for(int ci=0;ci<8;ci++){
    int ic=cfg[ci][0],oc=cfg[ci][1],H=cfg[ci][2],k=cfg[ci][3],s=cfg[ci][4];
    int pad=k/2; int OH=(H+2*pad-k)/s+1;
    for(int f=0;f<2;f++){
      dnnl_format_tag_t tag = f==0? dnnl_nhwc : dnnl_nChw8c;
      dnnl_format_tag_t itag = tag; if(ic<8 && f==1) itag=dnnl_nchw;
      dnnl_memory_desc_t src,wei,dst,bia;
      dnnl_dims_t sd={1,ic,H,H}, wd={oc,ic,k,k}, dd={1,oc,OH,OH}, bd={oc};
      CHK(dnnl_memory_desc_init_by_tag(&src,4,sd,dnnl_f32,itag));
      CHK(dnnl_memory_desc_init_by_tag(&wei,4,wd,dnnl_f32,dnnl_format_tag_any));
      CHK(dnnl_memory_desc_init_by_tag(&dst,4,dd,dnnl_f32,tag));
      CHK(dnnl_memory_desc_init_by_tag(&bia,1,bd,dnnl_f32,dnnl_x));
      dnnl_convolution_desc_t cd; dnnl_dims_t str={s,s}, pl={pad,pad}, pr={pad,pad};
      CHK(dnnl_convolution_forward_desc_init(&cd,dnnl_forward_inference,dnnl_convolution_direct,&src,&wei,&bia,&dst,str,pl,pr));
      dnnl_primitive_attr_t attr; dnnl_primitive_attr_create(&attr);
      dnnl_post_ops_t po; dnnl_post_ops_create(&po); dnnl_post_ops_append_eltwise(po,1.f,dnnl_eltwise_relu,0,0); dnnl_primitive_attr_set_post_ops(attr,po);
      dnnl_primitive_desc_t pd; CHK(dnnl_primitive_desc_create(&pd,&cd,attr,eng,NULL));
      const char* impl; dnnl_primitive_desc_query(pd,dnnl_query_impl_info_str,0,&impl);
      const dnnl_memory_desc_t* wmd=dnnl_primitive_desc_query_md(pd,dnnl_query_weights_md,0);
      dnnl_primitive_t p; CHK(dnnl_primitive_create(&p,pd));
      dnnl_memory_t ms,mw,md,mb; 
      CHK(dnnl_memory_create(&ms,&src,eng,DNNL_MEMORY_ALLOCATE)); CHK(dnnl_memory_create(&mw,wmd,eng,DNNL_MEMORY_ALLOCATE));
      CHK(dnnl_memory_create(&md,&dst,eng,DNNL_MEMORY_ALLOCATE)); CHK(dnnl_memory_create(&mb,&bia,eng,DNNL_MEMORY_ALLOCATE));
      float*sp; dnnl_memory_get_data_handle(ms,(void**)&sp); for(long i=0;i<(long)ic*H*H;i++) sp[i]=(i%7)*0.1f;
      dnnl_exec_arg_t args[4]={{DNNL_ARG_SRC,ms},{DNNL_ARG_WEIGHTS,mw},{DNNL_ARG_BIAS,mb},{DNNL_ARG_DST,md}};
      double best=1e9; for(int r=0;r<30;r++){double t=now(); CHK(dnnl_primitive_execute(p,st,4,args)); dnnl_stream_wait(st); t=now()-t; if(t<best)best=t;}
      double gf=2.0*oc*ic*k*k*OH*OH/1e9;
      printf("ic%3d oc%3d H%3d k%d s%d %-7s %-16s best %.3f ms  %.1f GFLOP/s\n",ic,oc,H,k,s,f?"nChw8c":"nhwc",impl,best,gf/best*1e3);
    }
  }
}
