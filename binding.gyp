# Built by `npm install` (its "install" script runs `node-gyp rebuild`).
# Outputs: build/Release/netns_native.node (node-api addon) and
# build/Release/netns-exec (helper executable for processes in a namespace) and
# build/Release/netns-ts-cni (the CNI plugin's native client for a resident daemon).
{
  "target_defaults": {
    "cflags": ["-std=gnu11", "-Wall", "-Wextra", "-Werror"]
  },
  "targets": [
    {
      "target_name": "netns_native",
      "sources": [
        "native/addon.c",
        "native/args.c",
        "native/errors.c",
        "native/netns.c",
        "native/nsthread.c",
        "native/poll.c",
        "native/read-ahead.c",
        "native/socket.c",
        "native/sysctl.c",
        "native/tun.c"
      ],
      "defines": ["NAPI_VERSION=8"],
      "libraries": ["-lpthread"]
    },
    {
      "target_name": "netns-exec",
      "type": "executable",
      "sources": ["native/netns-exec.c"]
    },
    {
      "target_name": "netns-ts-cni",
      "type": "executable",
      "sources": ["native/cni-client.c"]
    }
  ]
}
