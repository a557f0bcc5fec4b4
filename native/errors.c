/*
 * errno -> JavaScript Error.
 *
 * The JS layers branch on error codes (ENOBUFS means "events were lost",
 * EEXIST means "already there"), so every failure carries the errno name in
 * .code, the positive number in .errno and the failed call in .syscall, the
 * same shape Node uses for its own system errors.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <uv.h>

#include "netns_native.h"

/* glibc >= 2.32 knows the kernel's own names (EOPNOTSUPP rather than libuv's
 * ENOTSUP alias); elsewhere fall back to libuv's table. */
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
#define HAVE_STRERRORNAME_NP 1
#endif

static void errno_name(int err, char *buf, size_t len)
{
#ifdef HAVE_STRERRORNAME_NP
	const char *name = strerrorname_np(err);
	if (name != NULL) {
		snprintf(buf, len, "%s", name);
		return;
	}
#endif
	uv_err_name_r(-err, buf, len);
}

static void errno_description(int err, char *buf, size_t len)
{
#ifdef HAVE_STRERRORNAME_NP
	const char *desc = strerrordesc_np(err);
	if (desc != NULL) {
		snprintf(buf, len, "%s", desc);
		return;
	}
#endif
	uv_strerror_r(-err, buf, len);
}

napi_value errno_error(napi_env env, int err, const char *syscall)
{
	char name[64], desc[128], message[320];
	napi_value code, msg, error, number, call;

	errno_name(err, name, sizeof(name));
	errno_description(err, desc, sizeof(desc));
	snprintf(message, sizeof(message), "%s: %s (%s)", syscall, name, desc);

	if (napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &code) != napi_ok ||
	    napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg) != napi_ok ||
	    napi_create_error(env, code, msg, &error) != napi_ok ||
	    napi_create_int32(env, err, &number) != napi_ok ||
	    napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &call) != napi_ok ||
	    napi_set_named_property(env, error, "errno", number) != napi_ok ||
	    napi_set_named_property(env, error, "syscall", call) != napi_ok)
		return NULL;
	return error;
}

void throw_errno(napi_env env, int err, const char *syscall)
{
	napi_value error = errno_error(env, err, syscall);
	if (error == NULL) {
		/* Out of memory or an exception already pending: a plain error
		 * still tells the caller something failed. */
		napi_throw_error(env, NULL, syscall);
		return;
	}
	napi_throw(env, error);
}

void throw_type(napi_env env, const char *message)
{
	napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", message);
}
