/* A network of bench/stiff/gen_network.py: includes its generated C (NET_FILE) and adapts the names;
 * the Jacobian is sparse (compressed rows) for KLU. */
#include NET_FILE
#define P_NAME "network"
#define P_N NET_N
#define P_SPARSE 1
#define P_NNZ NET_NNZ
#define p_t1 net_t1
#define p_y0 net_y0
#define p_rhs net_rhs
#define p_jac_values net_jac
#define p_rowptr net_rowptr
#define p_colidx net_colidx
