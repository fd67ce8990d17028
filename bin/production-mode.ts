// Imported first by the entry points that serve traffic, before graphql-js loads: unless NODE_ENV
// says otherwise, run as deployed. graphql-js reads NODE_ENV once, as it loads; outside production,
// each of its failed type checks (`isListType(type)` on a scalar, …) also inspects the value for a
// second copy of the library, a development aid that costs measurable CPU on large inputs.
process.env.NODE_ENV ??= 'production';
