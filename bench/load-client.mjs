// The load generator for bench/concurrency.ts, in a process of its own so that it does not share an
// event loop (or a core's time slices, beyond the scheduler's) with the local stack it loads.
// argv[2]: autocannon's options as JSON. Prints autocannon's result as JSON on stdout.
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2]);
const result = await autocannon({ ...options, renderProgressBar: false, renderResultsTable: false });
process.stdout.write(JSON.stringify(result));
