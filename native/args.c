/*
 * Argument readers. The TypeScript wrapper is typed, but the addon is also
 * reachable from plain JS, so every argument is checked: a wrong type must be
 * a TypeError, never a syscall on a garbage value.
 */
#include <stdlib.h>
#include <string.h>

#include "netns_native.h"

bool get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv)
{
	size_t argc = want;
	if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok)
		return false;
	if (argc < want) {
		throw_type(env, "missing arguments");
		return false;
	}
	return true;
}

/* Accept only integral numbers in range: 1.5 or NaN is a caller bug. */
static bool arg_integer(napi_env env, napi_value value, const char *what, double lo, double hi,
			double *out)
{
	napi_valuetype type;
	double d;
	if (napi_typeof(env, value, &type) != napi_ok || type != napi_number ||
	    napi_get_value_double(env, value, &d) != napi_ok || d != d || d < lo || d > hi ||
	    d != (double)(int64_t)d) {
		throw_type(env, what);
		return false;
	}
	*out = d;
	return true;
}

bool arg_int32(napi_env env, napi_value value, const char *what, int32_t *out)
{
	double d;
	if (!arg_integer(env, value, what, -2147483648.0, 2147483647.0, &d))
		return false;
	*out = (int32_t)d;
	return true;
}

bool arg_uint32(napi_env env, napi_value value, const char *what, uint32_t *out)
{
	double d;
	if (!arg_integer(env, value, what, 0.0, 4294967295.0, &d))
		return false;
	*out = (uint32_t)d;
	return true;
}

bool arg_fd(napi_env env, napi_value value, int *out)
{
	double d;
	if (!arg_integer(env, value, "fd must be a non-negative integer", 0.0, 2147483647.0, &d))
		return false;
	*out = (int)d;
	return true;
}

bool arg_function(napi_env env, napi_value value, const char *what)
{
	napi_valuetype type;
	if (napi_typeof(env, value, &type) != napi_ok || type != napi_function) {
		throw_type(env, what);
		return false;
	}
	return true;
}

bool arg_string(napi_env env, napi_value value, const char *what, char **out)
{
	napi_valuetype type;
	size_t len;
	char *buf;
	if (napi_typeof(env, value, &type) != napi_ok || type != napi_string ||
	    napi_get_value_string_utf8(env, value, NULL, 0, &len) != napi_ok) {
		throw_type(env, what);
		return false;
	}
	buf = malloc(len + 1);
	if (buf == NULL) {
		napi_throw_error(env, "ENOMEM", "out of memory");
		return false;
	}
	if (napi_get_value_string_utf8(env, value, buf, len + 1, &len) != napi_ok) {
		free(buf);
		throw_type(env, what);
		return false;
	}
	if (strlen(buf) != len) {
		free(buf);
		throw_type(env, "strings passed to the kernel must not contain NUL");
		return false;
	}
	*out = buf;
	return true;
}

napi_value make_int(napi_env env, int64_t v)
{
	napi_value result = NULL;
	napi_create_int64(env, v, &result);
	return result;
}

napi_value make_undefined(napi_env env)
{
	napi_value result = NULL;
	napi_get_undefined(env, &result);
	return result;
}
