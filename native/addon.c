/*
 * Module registration. The exported names are the contract with
 * src/native/binding.ts, which documents each function.
 */
#include "netns_native.h"

static const struct {
	const char *name;
	napi_callback fn;
} exports_table[] = {
	{ "socketOpen", js_socket_open },
	{ "socketBind", js_socket_bind },
	{ "setsockoptInt", js_setsockopt_int },
	{ "getsockoptInt", js_getsockopt_int },
	{ "socketSend", js_socket_send },
	{ "socketRecv", js_socket_recv },
	{ "socketClose", js_socket_close },
	{ "socketNetns", js_socket_netns },
	{ "socketIfindex", js_socket_ifindex },
	{ "pollStart", js_poll_start },
	{ "pollStop", js_poll_stop },
	{ "pollRef", js_poll_ref },
	{ "readAhead", js_read_ahead },
	{ "netnsCreate", js_netns_create },
	{ "netnsCreateConnected", js_netns_create_connected },
	{ "netnsCreateConnectedAsync", js_netns_create_connected_async },
	{ "netnsDelete", js_netns_delete },
	{ "nsOpen", js_ns_open },
	{ "nsType", js_ns_type },
	{ "sysctlWrite", js_sysctl_write },
	{ "sysctlRead", js_sysctl_read },
	{ "tunCreate", js_tun_create },
};

/* Runs once per environment (main thread and each worker that loads us). */
static napi_value init(napi_env env, napi_value exports)
{
	size_t i;
	if (!poll_init_env(env)) {
		napi_throw_error(env, NULL, "netns_native: cannot set up instance data");
		return NULL;
	}
	for (i = 0; i < sizeof(exports_table) / sizeof(exports_table[0]); i++) {
		napi_value fn;
		if (napi_create_function(env, exports_table[i].name, NAPI_AUTO_LENGTH,
					 exports_table[i].fn, NULL, &fn) != napi_ok ||
		    napi_set_named_property(env, exports, exports_table[i].name, fn) != napi_ok)
			return NULL;
	}
	return exports;
}

NAPI_MODULE_INIT()
{
	return init(env, exports);
}
