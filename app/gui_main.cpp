#include "app/gui.h"

int main(int argc, char *argv[])
{
    return dbops::runGui(argc, argv);
}
