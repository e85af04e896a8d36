/** @type {import('jest').Config} */
export default {
  clearMocks: true,
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs'],
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/dist/', '/node_modules/', '/__tests__/fixtures/'],
  modulePathIgnorePatterns: ['<rootDir>/__tests__/fixtures/'],
  // src uses NodeNext-style './x.js' specifiers; map them back to the .ts sources
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }]
  },
  testTimeout: 120000,
  // most suites wait on pytest and git child processes, so two workers keep both cores busy
  maxWorkers: 2,
  collectCoverageFrom: ['src/**/*.ts', '!src/index.ts']
}
