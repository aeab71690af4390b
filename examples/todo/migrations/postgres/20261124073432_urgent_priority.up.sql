-- urgent priority
-- parent: 20261124073430_user_time_zones
--
-- operations:
--   1. add value "URGENT" to enum priority

-- 1. add value "URGENT" to enum priority
ALTER TYPE priority ADD VALUE 'URGENT' BEFORE 'HIGH';
