/* ---- the CUDA driver: one thread per member -------------------------------------------------------
 * Parameters, initial states and outputs live on the GPU in struct-of-arrays order (component q of
 * member m at [q * count + m]), so the threads of a warp read and write consecutive addresses. A
 * member that fails is flagged in its record; the others go on. A batch larger than the GPU's free
 * memory is split into launches (said once on stderr).
 *   PROGRAM [IN [OUT]]     solve the batch in IN (default stdin), write results to OUT (default stdout)
 *   PROGRAM --bench M ...  M members drawn around the nominal values on the GPU; one line
 * Exit codes: 0 done, 3 bad batch or I/O error, 10 no usable CUDA device (message on stderr). */

#define OD_BLOCK 128

__global__ void od_kernel(od_options o, const double *p, const double *y0, double *out, od_result *res, long long count) {
  long long m = blockIdx.x * (long long) blockDim.x + threadIdx.x;
  if (m >= count) return;
  od_result r;
  od_solve_member(&o, p + m, y0 != NULL ? y0 + m : NULL, out + m, count, &r);
  res[m] = r;
}

__global__ void od_bench_kernel(double *p, long long first, long long count) {
  long long m = blockIdx.x * (long long) blockDim.x + threadIdx.x;
  if (m >= count) return;
  od_bench_params(first + m, p + m, count);
}

static int od_cuda_check(cudaError_t e, const char *what) {
  if (e == cudaSuccess) return 1;
  fprintf(stderr, "CUDA error in %s: %s\n", what, cudaGetErrorString(e));
  return 0;
}

#define OD_CUDA(call) do { if (!od_cuda_check((call), #call)) return 3; } while (0)

int main(int argc, char **argv) {
  int devices = 0;
  cudaError_t e = cudaGetDeviceCount(&devices);
  if (e != cudaSuccess || devices == 0) {
    fprintf(stderr, "no usable CUDA device: %s\n", e != cudaSuccess ? cudaGetErrorString(e) : "none found");
    return 10;
  }
  od_batch b;
  int bench;
  if (!od_batch_from_args(argc, argv, &b, &bench)) return 3;
  long long M = b.members;
  od_result *res = (od_result *) malloc((size_t) (M > 0 ? M : 1) * sizeof(od_result));
  double *states = bench ? NULL : od_alloc_doubles(M * b.nsave * OD_N);
  double *last = bench ? od_alloc_doubles(M) : NULL;

  /* the options' arrays, once */
  double *d_rtol, *d_atol, *d_saveat;
  OD_CUDA(cudaMalloc(&d_rtol, OD_NA * sizeof(double)));
  OD_CUDA(cudaMalloc(&d_atol, OD_NA * sizeof(double)));
  OD_CUDA(cudaMalloc(&d_saveat, (size_t) b.nsave * sizeof(double)));
  OD_CUDA(cudaMemcpy(d_rtol, b.rtol, OD_N * sizeof(double), cudaMemcpyHostToDevice));
  OD_CUDA(cudaMemcpy(d_atol, b.atol, OD_N * sizeof(double), cudaMemcpyHostToDevice));
  OD_CUDA(cudaMemcpy(d_saveat, b.saveat, (size_t) b.nsave * sizeof(double), cudaMemcpyHostToDevice));
  od_options o;
  o.t0 = b.t0; o.dt = b.dt; o.h0 = b.h0; o.max_steps = b.max_steps; o.stiff_after = b.stiff_after;
  o.nsave = b.nsave; o.saveat = d_saveat; o.rtol = d_rtol; o.atol = d_atol;

  /* members per launch: what fits in 80% of the free memory */
  size_t free_bytes = 0, total_bytes = 0;
  OD_CUDA(cudaMemGetInfo(&free_bytes, &total_bytes));
  size_t per_member = (size_t) (OD_NP + (bench ? 0 : OD_N) + b.nsave * OD_N) * sizeof(double) + sizeof(od_result);
  long long chunk = (long long) (0.8 * (double) free_bytes / (double) per_member);
  if (chunk < 1) chunk = 1;
  if (chunk > M) chunk = M > 0 ? M : 1;
  long long launches = M > 0 ? (M + chunk - 1) / chunk : 0;
  if (launches > 1) {
    fprintf(stderr, "odec: note: %lld members do not fit in the GPU's free memory (%.1f GiB) at once; solving them in %lld "
        "launches of up to %lld\n", M, free_bytes / 1073741824.0, launches, chunk);
  }
  double *d_p, *d_y0 = NULL, *d_out;
  od_result *d_res;
  OD_CUDA(cudaMalloc(&d_p, (size_t) (chunk * OD_NPA) * sizeof(double)));
  if (!bench) OD_CUDA(cudaMalloc(&d_y0, (size_t) (chunk * OD_NA) * sizeof(double)));
  OD_CUDA(cudaMalloc(&d_out, (size_t) (chunk * b.nsave * OD_NA) * sizeof(double)));
  OD_CUDA(cudaMalloc(&d_res, (size_t) chunk * sizeof(od_result)));
  double *h_p = bench ? NULL : od_alloc_doubles(chunk * OD_NPA);
  double *h_y0 = bench ? NULL : od_alloc_doubles(chunk * OD_NA);
  double *h_out = bench ? NULL : od_alloc_doubles(chunk * b.nsave * OD_NA);
  /* a member's work arrays live in its thread's local memory: make sure the stack holds them */
  cudaFuncAttributes attr;
  OD_CUDA(cudaFuncGetAttributes(&attr, od_kernel));
  size_t stack = 0;
  OD_CUDA(cudaDeviceGetLimit(&stack, cudaLimitStackSize));
  if (attr.localSizeBytes + 1024 > stack) OD_CUDA(cudaDeviceSetLimit(cudaLimitStackSize, attr.localSizeBytes + 1024));
  cudaEvent_t k0, k1, a0, a1;
  cudaEventCreate(&k0); cudaEventCreate(&k1); cudaEventCreate(&a0); cudaEventCreate(&a1);

  double *solve_ms = od_alloc_doubles(b.repeat);
  double *total_ms = od_alloc_doubles(b.repeat);
  for (long long rep = 0; rep < b.repeat; rep++) {
    double kernel_ms = 0.0, all_ms = 0.0;
    for (long long first = 0; first < M; first += chunk) {
      long long count = M - first < chunk ? M - first : chunk;
      unsigned int blocks = (unsigned int) ((count + OD_BLOCK - 1) / OD_BLOCK);
      cudaEventRecord(a0);
      if (bench) {
        od_bench_kernel<<<blocks, OD_BLOCK>>>(d_p, first, count);
      } else {
        for (long long m = 0; m < count; m++) {
          for (int q = 0; q < OD_NP; q++) h_p[q * count + m] = b.p[(first + m) * OD_NP + q];
          for (int c = 0; c < OD_N; c++) h_y0[c * count + m] = b.y0[(first + m) * OD_N + c];
        }
        OD_CUDA(cudaMemcpy(d_p, h_p, (size_t) (count * OD_NP) * sizeof(double), cudaMemcpyHostToDevice));
        OD_CUDA(cudaMemcpy(d_y0, h_y0, (size_t) (count * OD_N) * sizeof(double), cudaMemcpyHostToDevice));
      }
      cudaEventRecord(k0);
      od_kernel<<<blocks, OD_BLOCK>>>(o, d_p, d_y0, d_out, d_res, count);
      cudaEventRecord(k1);
      OD_CUDA(cudaGetLastError());
      OD_CUDA(cudaMemcpy(res + first, d_res, (size_t) count * sizeof(od_result), cudaMemcpyDeviceToHost));
      if (bench) {
        /* only the last output of component 1, for the checksum */
        OD_CUDA(cudaMemcpy(last + first, d_out + (b.nsave - 1) * OD_N * count, (size_t) count * sizeof(double),
            cudaMemcpyDeviceToHost));
      } else {
        OD_CUDA(cudaMemcpy(h_out, d_out, (size_t) (count * b.nsave * OD_N) * sizeof(double), cudaMemcpyDeviceToHost));
      }
      cudaEventRecord(a1);
      cudaEventSynchronize(a1);
      float ms = 0.0f;
      cudaEventElapsedTime(&ms, k0, k1);
      kernel_ms += ms;
      cudaEventElapsedTime(&ms, a0, a1);
      all_ms += ms;
      if (!bench) {
        for (long long m = 0; m < count; m++) {
          for (long long j = 0; j < b.nsave; j++) {
            for (int c = 0; c < OD_N; c++) {
              states[((first + m) * b.nsave + j) * OD_N + c] = h_out[(j * OD_N + c) * count + m];
            }
          }
        }
      }
    }
    solve_ms[rep] = kernel_ms;
    total_ms[rep] = all_ms;
  }
  double solve = od_median(solve_ms, b.repeat);
  double total = od_median(total_ms, b.repeat);
  if (bench) {
    od_bench_report("cuda", &b, res, last, solve, total, launches);
    return 0;
  }
  if (!od_write_to_args(argc, argv, &b, res, states, launches, solve, total)) return 3;
  return 0;
}
