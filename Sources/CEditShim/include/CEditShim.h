// Non-variadic wrappers around libedit (el_set, el_get and history are C variadics Swift cannot call), plus
// the few terminal and signal helpers the shell needs.
#ifndef CEDITSHIM_H
#define CEDITSHIM_H

#include <stddef.h>

typedef struct shim_editor shim_editor;

/// Completion callback: given the line up to the cursor, fill `insert` with text to insert at the cursor and
/// `listing` with candidates to show (either may be empty). Returns nonzero when it filled anything.
typedef int (*shim_completer)(const char *line, char *insert, size_t insert_size, char *listing, size_t listing_size);

/// Opens libedit (once, with dlopen: it is not linked); NULL when that worked, else why not.
const char *shim_editor_load(void);

/// Creates an emacs-mode editor on stdin/stdout with history of at most `history_size` unique-consecutive
/// entries, reading ~/.editrc. Returns NULL if libedit cannot be loaded or cannot start.
shim_editor *shim_editor_create(const char *program, int history_size);
void shim_editor_destroy(shim_editor *editor);

/// Reads one line with `prompt`, the line starting with `initial` as if typed (auto-indent); returns it without
/// the newline (caller frees), or NULL at end of input. `*interrupted` is set when Ctrl-C ended the read.
char *shim_editor_read(shim_editor *editor, const char *prompt, const char *initial, int *interrupted);

void shim_history_add(shim_editor *editor, const char *entry);
int shim_history_load(shim_editor *editor, const char *path);
int shim_history_save(shim_editor *editor, const char *path);

void shim_set_completer(shim_completer completer);

/// Installs `handler` for SIGINT without SA_RESTART, so a blocked read returns on Ctrl-C.
void shim_on_sigint(void (*handler)(int));

/// Whether input is waiting on stdin right now (pasted text arrives all at once).
int shim_input_pending(void);

/// Sets a terminal's window size (tests drive the shell in a pseudo-terminal).
int shim_set_window_size(int fd, int rows, int columns);

/// Opens a pseudo-terminal pair for a command's output (`!cmd`): the controlling end, and in `child` the end to
/// give the process. Returns -1 (errno set) on failure.
int shim_open_pty(int *child);

#endif
