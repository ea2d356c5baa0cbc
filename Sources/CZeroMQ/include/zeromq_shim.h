// The libzmq calls of the Jupyter kernel, libzmq.so.5 opened with dlopen by `sbpl_zmq_load` (the kernel command's
// first step) rather than linked, so that the other commands start without it. Every function but
// sbpl_zmq_load needs sbpl_zmq_load() to have succeeded.
#ifndef ZEROMQ_SHIM_H
#define ZEROMQ_SHIM_H

#include <zmq.h>

/// Opens libzmq, once; NULL when that worked, else why not.
const char *sbpl_zmq_load(void);

void *sbpl_zmq_ctx_new(void);
int sbpl_zmq_ctx_term(void *context);
void *sbpl_zmq_socket(void *context, int type);
int sbpl_zmq_setsockopt(void *socket, int option, const void *value, size_t length);
int sbpl_zmq_bind(void *socket, const char *endpoint);
int sbpl_zmq_close(void *socket);
int sbpl_zmq_send(void *socket, const void *bytes, size_t length, int flags);
int sbpl_zmq_poll(zmq_pollitem_t *items, int count, long timeout);
int sbpl_zmq_msg_init(zmq_msg_t *message);
int sbpl_zmq_msg_close(zmq_msg_t *message);
int sbpl_zmq_msg_recv(zmq_msg_t *message, void *socket, int flags);
void *sbpl_zmq_msg_data(zmq_msg_t *message);
size_t sbpl_zmq_msg_size(const zmq_msg_t *message);
int sbpl_zmq_msg_more(const zmq_msg_t *message);
int sbpl_zmq_errno(void);
const char *sbpl_zmq_strerror(int error);

#endif
