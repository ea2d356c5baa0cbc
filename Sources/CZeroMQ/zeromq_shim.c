#include "zeromq_shim.h"
#include "lazy_library.h"

#define ZMQ_FUNCTIONS(F)                                                        \
    F(void *, zmq_ctx_new, (void))                                              \
    F(int, zmq_ctx_term, (void *))                                              \
    F(void *, zmq_socket, (void *, int))                                        \
    F(int, zmq_setsockopt, (void *, int, const void *, size_t))                 \
    F(int, zmq_bind, (void *, const char *))                                    \
    F(int, zmq_close, (void *))                                                 \
    F(int, zmq_send, (void *, const void *, size_t, int))                       \
    F(int, zmq_poll, (zmq_pollitem_t *, int, long))                             \
    F(int, zmq_msg_init, (zmq_msg_t *))                                         \
    F(int, zmq_msg_close, (zmq_msg_t *))                                        \
    F(int, zmq_msg_recv, (zmq_msg_t *, void *, int))                            \
    F(void *, zmq_msg_data, (zmq_msg_t *))                                      \
    F(size_t, zmq_msg_size, (const zmq_msg_t *))                                \
    F(int, zmq_msg_more, (const zmq_msg_t *))                                   \
    F(int, zmq_errno, (void))                                                   \
    F(const char *, zmq_strerror, (int))

LAZY_LIBRARY(zmq, "libzmq.so.5", "libzmq5", ZMQ_FUNCTIONS, NULL, NULL)

const char *sbpl_zmq_load(void) { return lazy_library_load(&zmq); }

void *sbpl_zmq_ctx_new(void) { return zmq_functions.zmq_ctx_new(); }
int sbpl_zmq_ctx_term(void *context) { return zmq_functions.zmq_ctx_term(context); }
void *sbpl_zmq_socket(void *context, int type) { return zmq_functions.zmq_socket(context, type); }
int sbpl_zmq_setsockopt(void *socket, int option, const void *value, size_t length) {
    return zmq_functions.zmq_setsockopt(socket, option, value, length);
}
int sbpl_zmq_bind(void *socket, const char *endpoint) { return zmq_functions.zmq_bind(socket, endpoint); }
int sbpl_zmq_close(void *socket) { return zmq_functions.zmq_close(socket); }
int sbpl_zmq_send(void *socket, const void *bytes, size_t length, int flags) {
    return zmq_functions.zmq_send(socket, bytes, length, flags);
}
int sbpl_zmq_poll(zmq_pollitem_t *items, int count, long timeout) {
    return zmq_functions.zmq_poll(items, count, timeout);
}
int sbpl_zmq_msg_init(zmq_msg_t *message) { return zmq_functions.zmq_msg_init(message); }
int sbpl_zmq_msg_close(zmq_msg_t *message) { return zmq_functions.zmq_msg_close(message); }
int sbpl_zmq_msg_recv(zmq_msg_t *message, void *socket, int flags) {
    return zmq_functions.zmq_msg_recv(message, socket, flags);
}
void *sbpl_zmq_msg_data(zmq_msg_t *message) { return zmq_functions.zmq_msg_data(message); }
size_t sbpl_zmq_msg_size(const zmq_msg_t *message) { return zmq_functions.zmq_msg_size(message); }
int sbpl_zmq_msg_more(const zmq_msg_t *message) { return zmq_functions.zmq_msg_more(message); }
int sbpl_zmq_errno(void) { return zmq_functions.zmq_errno(); }
const char *sbpl_zmq_strerror(int error) { return zmq_functions.zmq_strerror(error); }
