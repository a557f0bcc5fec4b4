/** Command line of bench/run.mjs. */

export const USAGE = `usage: npm run bench [-- [--quick] [--only WORKLOAD[,WORKLOAD…]] [--sizes N,N,…]
                           [--reps N] [--contenders NAME,NAME,…] [--no-write]]

  --quick        smaller sizes and fewer repetitions (finishes in under two minutes)
  --only         workloads to run: topology, dumps, nft, codec (default: all)
  --sizes        sizes for the selected workloads (topology: namespaces; dumps: links, with
                 10 routes per link; nft: rules; codec: messages per repetition)
  --reps         repetitions per point (default 5, quick 3)
  --contenders   contenders to run (default: all): netns-ts, netns-ts-cli, floor, ip-batch, shell, pyroute2, netlink-npm
  --no-write     print the table only; write nothing under bench/results/`;

const WORKLOADS = ['topology', 'dumps', 'nft', 'codec'];

function list(value, flag) {
  if (!value || value.startsWith('--')) throw new Error(`${flag} needs a value`);
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Parses argv; throws an Error with a message for the user on bad input. */
export function parseArgs(argv) {
  const opts = { quick: false, only: WORKLOADS, sizes: undefined, reps: undefined, contenders: undefined, write: true, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--no-write') opts.write = false;
    else if (a === '--help' || a === '-h') opts.help = true;
    else if (a === '--only') {
      opts.only = list(argv[++i], a);
      const bad = opts.only.filter((w) => !WORKLOADS.includes(w));
      if (bad.length) throw new Error(`unknown workload ${bad.join(', ')} (known: ${WORKLOADS.join(', ')})`);
    } else if (a === '--sizes') {
      opts.sizes = list(argv[++i], a).map((s) => {
        const n = Number(s);
        if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new Error(`bad size ${s}: want an integer from 1 to 100000`);
        return n;
      });
    } else if (a === '--reps') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1 || n > 100) throw new Error('--reps wants an integer from 1 to 100');
      opts.reps = n;
    } else if (a === '--contenders') opts.contenders = list(argv[++i], a);
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}
