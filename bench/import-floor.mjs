// The import floor: what loading the console's dependencies alone costs.
await import('react');
await import('ink');
await import('dockerode');
await import('meow');
