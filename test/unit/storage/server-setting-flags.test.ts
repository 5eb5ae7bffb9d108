import { describe, expect, it } from 'vitest';
import { serverSettingFlags } from '../../../src/storage/embedded-postgres/server-flags.js';

describe('serverSettingFlags', () => {
  it('turns name=value settings into -c flags, trimmed', () => {
    expect(serverSettingFlags(['shared_buffers=2GB', ' wal_compression = lz4 '])).toEqual([
      '-c',
      'shared_buffers=2GB',
      '-c',
      'wal_compression=lz4',
    ]);
  });

  it('keeps values with spaces and dotted names', () => {
    expect(serverSettingFlags(['auto_explain.log_min_duration=1 s'])).toEqual([
      '-c',
      'auto_explain.log_min_duration=1 s',
    ]);
  });

  it.each(['shared_buffers', '=1GB', 'shared buffers=1GB', 'shared_buffers=', '1x=2'])(
    'refuses %j',
    (setting) => {
      expect(() => serverSettingFlags([setting])).toThrow(/bad PostgreSQL setting/);
    },
  );
});
