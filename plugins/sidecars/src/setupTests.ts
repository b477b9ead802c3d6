import '@testing-library/jest-dom';

// Component tests render whole pages (charts, tables) in jsdom, which is slow on small CI machines.
jest.setTimeout(30_000);
