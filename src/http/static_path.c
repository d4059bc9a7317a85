/*
 * static_path.c - the static UI's paths and types (see static_path.h).
 */
#include "http/static_path.h"

#include <string.h>

const char *
static_content_type(const char *path)
{
	static const struct { const char *ext, *type; } types[] = {
		{".html", "text/html; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".mjs", "text/javascript; charset=utf-8"},
		{".json", "application/json"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".woff2", "font/woff2"},
		{".txt", "text/plain; charset=utf-8"},
	};
	const char *dot = strrchr(path, '.');
	if (dot)
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcmp(dot, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

/* Returns 1 when url is a safe relative path: segments of [A-Za-z0-9._-],
 * none empty, none starting with a dot. */
int
static_safe_path(const char *url)
{
	const char *s = url;
	if (*s != '/')
		return 0;
	while (*s == '/') {
		s++;
		if (*s == '.' || *s == '/' || *s == '\0')
			return 0;
		while (*s && *s != '/') {
			char ch = *s++;
			if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
			      ch == '-'))
				return 0;
		}
	}
	return *s == '\0';
}
