// The import floor: what loading the console's dependencies alone costs (the same React build the CLI uses).
process.env.NODE_ENV ??= 'production';
await import('react');
await import('ink');
await import('dockerode');
await import('meow');
