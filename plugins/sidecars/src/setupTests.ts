import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Component tests render whole pages (charts, tables) in jsdom, which is slow on small, busy CI
// machines: a page's first render can take seconds, so waits get more than the default second.
jest.setTimeout(60_000);
configure({ asyncUtilTimeout: 10_000 });
