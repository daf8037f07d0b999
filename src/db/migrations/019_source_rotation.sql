-- A source's secret rotated by POST /v1/sources/:id/rotate-secret: the previous one is still
-- accepted until previous_secret_expires_at (HERALD_ROTATION_GRACE), so the provider can be
-- switched to the new secret at any moment in that window without a refused delivery.
alter table sources
  add column previous_secret text,
  add column previous_secret_expires_at timestamptz;
