CREATE SCHEMA "App";
CREATE TYPE "App"."Order Status" AS ENUM ('very sad', 'sad', 'ok', 'happy', 'ecstatic');
CREATE TYPE public.mood AS ENUM ('low', 'high', 'Higher''s');
CREATE TABLE "App".orders (id int PRIMARY KEY, status "App"."Order Status" NOT NULL DEFAULT 'sad', m public.mood);
