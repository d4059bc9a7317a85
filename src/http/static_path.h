/*
 * static_path.h - the static UI's files: which request paths may name
 * one, and the Content-Type each is served with.
 */
#ifndef SOPORTE_HTTP_STATIC_PATH_H
#define SOPORTE_HTTP_STATIC_PATH_H

/* The Content-Type for path's extension (application/octet-stream when
 * unknown). */
const char *static_content_type(const char *path);

/* 1 when url is a safe relative path: segments of [A-Za-z0-9._-], none
 * empty, none starting with a dot; else 0. */
int static_safe_path(const char *url);

#endif
