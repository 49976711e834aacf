// The layering of shared/style.md, checked by `npm run lint` (dependency-cruiser). Each rule names the
// boundary it keeps; a violation prints the offending import and fails the run.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'policy-is-pure',
      comment:
        'lib/policy is the pure engine: it imports nothing outside itself (no I/O, no other lib folder, no package) but the polyline codec, pure functions its privacy zones need (ADR 0018).',
      severity: 'error',
      from: { path: '^lib/policy/' },
      to: { pathNot: ['^lib/policy/', '(^|/)node_modules/@googlemaps/polyline-codec/'] },
    },
    {
      name: 'repositories-know-no-http',
      comment:
        'lib/repositories serve every caller (handlers, stream consumers, ops scripts): no HTTP concern, directly or through another folder.',
      severity: 'error',
      from: { path: '^lib/repositories/' },
      to: { path: '^lib/http/', reachable: true },
    },
    {
      name: 'functions-use-the-layer',
      comment: 'A function imports lib only as @astral/lib/<dir> (what the layer ships), never by a relative path.',
      severity: 'error',
      from: { path: '^functions/([^/]+)/' },
      to: { path: '^lib/', dependencyTypesNot: ['aliased-tsconfig-paths', 'aliased-tsconfig'] },
    },
    {
      name: 'functions-stay-in-their-folder',
      comment:
        'A function imports @astral/lib/*, its own folder and Lambda event types: nothing from another function or the rest of the repo.',
      severity: 'error',
      from: { path: '^functions/([^/]+)/' },
      to: {
        // docs/openapi.json: the generated document, which the next rule lets openapi-get alone import.
        pathNot: ['^functions/$1/', '^lib/[^/]+/index[.]ts$', '(^|/)node_modules/@types/aws-lambda/', '^docs/openapi[.]json$'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'only-openapi-get-loads-the-document',
      comment:
        'The OpenAPI document (~150 KB of JSON) is bundled into the openapi-get function alone: no other cold start parses it, and lib never sees it.',
      severity: 'error',
      from: { path: '^(functions|lib|infra)/', pathNot: '^functions/openapi-get/' },
      to: { path: '^docs/openapi[.]json$' },
    },
    {
      name: 'lib-stands-alone',
      comment: 'lib never imports functions, infra, local, bench, ops or tests.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(functions|infra|local|bench|ops|tests|tools)/' },
    },
    {
      name: 'infra-imports-entries-and-constants',
      comment:
        'infra reads the route manifest and the shared constants (lib/config, the table design) only; handler code reaches it as bundled assets.',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: '^(functions/|lib/)', pathNot: ['^functions/manifest[.]ts$', '^lib/config/', '^lib/repositories/table-design[.]ts$'] },
    },
    {
      name: 'table-design-is-a-leaf',
      comment: 'infra and the local runtime read the table design; it imports nothing, so they cannot reach repository code through it.',
      severity: 'error',
      from: { path: '^lib/repositories/table-design[.]ts$' },
      to: {},
    },
    {
      name: 'no-folder-cycles',
      comment: 'Folders depend one way: two lib folders that import each other are one folder, or need a third.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Resolve node_modules by its own path, not its target: a git worktree may share another checkout's
    // node_modules through a symlink, and the functions rule allows `node_modules/@types/aws-lambda/` by path.
    preserveSymlinks: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^(node_modules|cdk[.]out|coverage)/', '^tests/support/fixtures/boundaries/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
