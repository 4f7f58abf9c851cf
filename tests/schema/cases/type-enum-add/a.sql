-- An enum gains values before, between and after its labels (ADD VALUE, never a rebuild); back
-- the other way they are removed (a rebuild).
CREATE SCHEMA "App";
CREATE TYPE "App"."Order Status" AS ENUM ('sad', 'happy');
CREATE TYPE public.mood AS ENUM ('low', 'high');
CREATE TABLE "App".orders (id int PRIMARY KEY, status "App"."Order Status" NOT NULL DEFAULT 'sad', m public.mood);
